/**
 * Everything residents see that is not content, looked up by a stable code. Keep it plain, short and kind.
 */
export const MESSAGES = {
  help:
    '您好！我是科普助手，可以帮您：\n· 查本地科学素质行动方案（目标、任务、哪个部门负责）\n· 查科普活动和纪念日（如「这周末有什么科普活动」「防灾减灾日是哪天」）\n· 防诈骗：转发可疑消息给我，或问「这是不是诈骗」\n· 科普知识、辟谣和科技馆（如「被狗咬了怎么办」「隔夜菜会致癌吗」「科技馆几点开门」）\n发送「我在东营」设置地区，「长辈模式」切换大字简答。',
  decline:
    '抱歉，这个问题我回答不了。我能查本地科学素质行动方案、科普活动和纪念日，也能帮您识别诈骗。试试问「这周末有什么科普活动」或「老年人怎么防诈骗」。',
  notChinese: '请用中文提问，例如「防灾减灾日是哪天」。(Please ask in Chinese; this bot answers in Chinese.)',
  empty: '您好像没有输入内容。可以问我「防灾减灾日是哪天」，或发送「帮助」看看我能做什么。',
  truncated: '（您发来的内容太长，我只看了开头部分。）',
  error: '抱歉，我这边出了点问题，请稍后再试。如遇诈骗紧急情况请直接拨打 110。',
  noMore: '没有更多内容了。',
  regionSet: '好的，已设为{region}。以后的问题按{plan}的方案回答。',
  regionSetShort: '（已设为{region}。）',
  thanks: '不客气！还有问题随时问我。',
  bye: '不客气，再见！有需要随时找我。',
  okay: '好的。还有问题随时问我。',
  offMenu: '没有第{n}项。请回复菜单上的数字，或直接说您想问什么。',
  noList: '刚才没有列出带编号的内容。您可以直接说想问什么，或回复「帮助」看看我能做什么。',
  noContext: '您是想接着问刚才的话题吗？刚才的内容已经过了一阵子，请把问题完整地说一遍。',
  declineShort: '抱歉，这个我答不了。',
  declinePlan: '{region}的方案里没有写这件事。',
  declineUnderstood: '我理解您问的是「{topic}」，但没找到可靠的答案。',
  declineTry: '您可以试试问：',
  declineHuman: '需要人工帮助，请联系：{contact}',
  declineHumanNone: '也可以换个说法再问一次。',
  declineElder: '抱歉，这个我答不了。回复「菜单」看能做什么。',
  moreHint: '回复「更多」看原文',
  feedbackLine: '回复 1 有用，2 没用',
  feedbackLineElder: '有用回 1，没用回 2',
  feedbackThanks: '谢谢您的反馈！',
  feedbackThanksElder: '谢谢您！',
  feedbackAsk: '谢谢告诉我们。哪里不对或缺了什么？直接回复，或发 0 跳过。',
  feedbackAskElder: '哪里不对？直接说，或发 0 跳过。',
  feedbackNoted: '收到，已转给工作人员，我们会改进。谢谢！',
  feedbackNotedShort: '（您的意见已转给工作人员。）',
  feedbackSkipped: '好的，谢谢您的反馈。',
  feedbackAgain: '这条回答您已经评价过了，谢谢！',
} as const

export type MessageCode = keyof typeof MESSAGES

/** The resident-facing text for a code. */
export function msg(code: MessageCode): string {
  return MESSAGES[code]
}
