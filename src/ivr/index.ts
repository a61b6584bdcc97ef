// IVR flows: versioned, validated JSON documents and the interpreter that runs a call through the
// published one. Talks to calls only through the IvrCall port (ivr-call.ts).
export {
  FLOW_LANGUAGES, FLOW_SCHEMA, validateFlow, branchesOf,
  type FlowLanguage, type FlowDocument, type FlowNode, type FlowNodeType, type FlowIssue, type FlowValidation, type FlowReferences,
  type Prompt, type Prompts, type SkillNeed, type TransferTarget,
} from './flow-document.ts';
export type { IvrCall, SpokenPrompt, PlayResult, CollectOptions, CollectResult, QueueRequest } from './ivr-call.ts';
export { IvrInterpreter, MAX_STEPS, type FlowRun, type PublishedFlow } from './interpreter.ts';
export type { BusinessHours, InterpreterDeps, FlowExit, PathStep } from './flow-context.ts';
export type { IvrEvents } from './ivr-events.ts';
export { languageSkill } from './verbs/exits.ts';
export { Flows, type Flow, type FlowVersion, type FlowActor, type FlowsDeps } from './flows.sql.ts';
export { PromptLibrary, type UploadedPrompt, type PromptLibraryDeps } from './prompts.sql.ts';
export { render, renderUrl, lookupPath, type Variables } from './templates.ts';
