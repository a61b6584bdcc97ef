export { seedDemo, generatePassword, type DemoSeed, type DemoLogin } from './seed-demo.ts';
export { seedContactCenter, demoFlow, DEMO_NUMBER, type ContactCenterSeedDeps } from './seed-contact-center.ts';
