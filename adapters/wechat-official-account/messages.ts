import type { FixedReply } from './to-incoming.js'

/**
 * What residents read from this adapter itself (everything else comes from the bot), by a stable code.
 * Kept here because only an Official Account needs them.
 */
export const OA_MESSAGES: Record<FixedReply | 'welcome' | 'handoff', string> = {
  welcome: '感谢关注科普助手！',
  unsupported: '我现在只能看懂文字和语音。想查一条消息是不是诈骗，请把文字复制发给我；发送「帮助」看看我能做什么。',
  voiceUnrecognised: '这段语音我没听清，请再说一遍，或者打字发给我。',
  unknownMenu: '这个菜单项暂时用不了。发送「帮助」看看我能做什么。',
  handoff: '正在为您转接人工客服，请稍候。遇到诈骗紧急情况请直接拨打 110。',
}
