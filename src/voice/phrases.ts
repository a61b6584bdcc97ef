// The fixed sentences the voice layer itself speaks to callers (the IVR's own prompts are the
// workspace's), in the caller's language: queue position and expected wait, callback and
// voicemail confirmations, the unknown-number announcement. Chinese sentences are written in
// characters; the speech engine reads them in Mandarin or Cantonese.

export type PhraseLanguage = 'en' | 'cmn' | 'yue';

const minutesEn = (m: number) => (m <= 1 ? 'about one minute' : `about ${m} minutes`);

export const PHRASES = {
  position: {
    en: (position: number, minutes: number | null) =>
      `You are number ${position} in the queue.${minutes === null ? '' : ` Your expected wait is ${minutesEn(minutes)}.`} Please stay on the line.`,
    cmn: (position: number, minutes: number | null) =>
      `${position <= 1 ? '您是下一位客户。' : `您前面还有${position - 1}位客户。`}${minutes === null ? '' : `预计等待${minutes <= 1 ? '一' : minutes}分钟。`}请不要挂机。`,
    yue: (position: number, minutes: number | null) =>
      `${position <= 1 ? '下一位就到您。' : `您前面仲有${position - 1}位客戶。`}${minutes === null ? '' : `預計等候${minutes <= 1 ? '一' : minutes}分鐘。`}請唔好收線。`,
  },
  callbackOffer: {
    en: (key: string) => `To be called back without losing your place, press ${key === '*' ? 'star' : key === '#' ? 'pound' : key}.`,
    cmn: (key: string) => `如需保留排队位置并由我们回电，请按${key === '*' ? '星号键' : key === '#' ? '井号键' : key}。`,
    yue: (key: string) => `如需保留排隊位置並由我哋回電，請按${key === '*' ? '星號' : key === '#' ? '井號' : key}。`,
  },
  callbackConfirmed: {
    en: () => 'Thank you. We will call you back as soon as an agent is free. Goodbye.',
    cmn: () => '谢谢。座席空闲时我们会尽快回电。再见。',
    yue: () => '多謝。同事一有空就會即刻回電俾您。再見。',
  },
  voicemailSaved: {
    en: () => 'Your message has been saved. Goodbye.',
    cmn: () => '您的留言已保存。再见。',
    yue: () => '您嘅留言已經保存。再見。',
  },
  notInService: {
    en: () => 'The number you have dialled is not in service.',
    cmn: () => '您拨打的号码不存在。',
    yue: () => '您所撥打的號碼並不存在。',
  },
  allAgentsBusy: {
    en: () => 'Sorry, all our agents are busy. Please call again later. Goodbye.',
    cmn: () => '抱歉，座席全忙，请稍后再拨。再见。',
    yue: () => '對唔住，所有同事都正忙，請稍後再打嚟。再見。',
  },
} as const;
