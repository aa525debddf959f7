import type { Choice } from '../core/reply.js'
import { maskContact } from './contact.js'
import type { ServiceMenu } from './service-menu.js'

/** Where a resident's guided dialogue stands. Plain JSON: it is kept in the store between messages. */
export type Draft =
  /** The bot offered to start an order (「村里想请专家来讲葡萄种植」): 「好」 starts it. */
  | { kind: 'offer'; serviceId?: string }
  | {
      kind: 'order'
      step: 'service' | 'place' | 'region' | 'date' | 'size' | 'contact' | 'confirm'
      serviceId?: string
      place?: string
      region?: string
      date?: string
      /** null: the resident does not know. */
      size?: number | null
      contact?: string
    }
  | { kind: 'volunteer'; step: 'name' | 'area' | 'skills' | 'contact' | 'confirm'; name?: string; area?: string; skills?: string[]; contact?: string }
  /** 「删除我的信息」 waits for 「确认删除」. */
  | { kind: 'forget' }

export type OrderDraft = Extract<Draft, { kind: 'order' }>
export type VolunteerDraft = Extract<Draft, { kind: 'volunteer' }>

/** What one step says back. */
export interface Prompt {
  text: string
  choices?: Choice[]
}

/** The outcome of one answer: the draft to keep (none: the dialogue ended), what to say, what to do. */
export interface StepResult {
  draft?: Draft
  prompt: Prompt
  /** The draft is complete and confirmed: store it. */
  submit?: OrderDraft | VolunteerDraft
  cancelled?: boolean
}

export interface DialogueEnv {
  menu: ServiceMenu
  /** Region names a request may be in (the plans' regions). */
  regions: readonly string[]
  /** Finds a region named in free text (「垦利区胜利街道」 → 东营市). */
  regionIn(text: string): string | undefined
  /** The resident's region, when known. */
  region: string | undefined
  elder: boolean
}

/** 「取消」「算了」 at any step. */
export const CANCEL = /^(?:取消|算了|算了吧|不要了|不用了|不弄了|不办了|不点了|不报了|不报名了|先不了|不想弄了|退出|放弃|不填了|停|停止|结束|quit|cancel)(?:吧|了|啊|呀)?$/iu
const YES = /^(?:1|好|好的|好啊|好吧|行|可以|嗯|嗯嗯|是|是的|对|对的|没错|确认|确定|提交|确认提交|开始|开始点单|点单|要|要的|好嘞|中|成)(?:吧|了|啊|呀|的)?$/u
const REDO = /^(?:2|重新填写?|重填|重来|修改|改一下|不对|有错|错了)$/u
const NO_IDEA = /^(?:不确定|不知道|说不准|不好说|不清楚|还不知道|没定|没想好|都行|随便|看情况)$/u
/** A question rather than an answer: the resident asks something else in the middle of a step. */
const QUESTION = /[?？]|吗$|什么|怎么|为什么|为啥|是啥|干啥|哪个部门/u
const PHONE = /(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}|0\d{2,3}[-\s]?\d{7,8}/u

const trimmed = (s: string) => s.trim().replace(/[。！!~～]+$/u, '')
const chars = (s: string) => Array.from(s).length

function numbered(items: readonly string[]): string {
  return items.map((x, i) => `${i + 1}. ${x}`).join('\n')
}

const pick = (labels: readonly string[]): Choice[] => labels.map((l) => ({ label: l, value: l }))

/** The prompt of a step, in the resident's mode. */
export function promptOf(d: Exclude<Draft, { kind: 'offer' | 'forget' }>, env: DialogueEnv): Prompt {
  const e = env.elder
  const tail = e ? '回「取消」退出。' : '回复「取消」可随时退出。'
  if (d.kind === 'order') {
    const service = d.serviceId ? env.menu.byId(d.serviceId) : undefined
    switch (d.step) {
      case 'service': {
        const names = env.menu.services.map((s) => s.name)
        return { text: `${e ? '想请哪种服务？回数字：' : '想请志愿者来做哪种服务？回复数字：'}\n${numbered(names)}\n${tail}`, choices: pick(names) }
      }
      case 'place':
        return {
          text: e
            ? `选好了：${service?.name ?? ''}。\n在哪里办？写村或社区名。`
            : `已选「${service?.name ?? ''}」。在哪里办？请写清村或社区和具体地点（如：垦利区胜利街道某某社区活动室）。${tail}`,
        }
      case 'region':
        return { text: `${e ? '是哪个地方的？回数字：' : '这个地点在哪个市（区）？回复数字：'}\n${numbered(env.regions)}`, choices: pick(env.regions) }
      case 'date':
        return { text: e ? '想哪天办？如：下个月中旬。' : `希望什么时候办？随便说就行，如「下个月中旬」「12月20日下午」。${tail}` }
      case 'size':
        return { text: e ? '大概多少人？回数字，如 50。' : `大概有多少人参加？回复人数，如 50；不确定就回「不确定」。${tail}` }
      case 'contact':
        return {
          text: e
            ? '留个电话，工作人员好联系您。'
            : `请留一个联系电话（可加称呼，如：王老师 13800000000）。电话只用于这次服务，随时可发「删除我的信息」删除。${tail}`,
        }
      case 'confirm': {
        const lines = [
          `服务：${service?.name ?? ''}`,
          `地点：${d.place ?? ''}（${d.region ?? ''}）`,
          `时间：${d.date ?? ''}`,
          `人数：${d.size ? `约${d.size}人` : '不确定'}`,
          `电话：${maskContact(d.contact ?? '')}`,
        ]
        const options = ['提交', '重新填写', '取消']
        return { text: `${e ? '请看对不对：' : '请核对：'}\n${lines.join('\n')}\n回复数字：\n${numbered(options)}`, choices: pick(options) }
      }
    }
  }
  switch (d.step) {
    case 'name':
      return { text: e ? '欢迎报名志愿者！怎么称呼您？' : `欢迎报名科技志愿者！先登记几项，工作人员会联系您。怎么称呼您？（姓名或称呼，如：张医生）${tail}` }
    case 'area':
      return { text: e ? '您住哪儿？写市、区县或乡镇。' : `您在哪里、方便在哪里服务？写市、区县或乡镇即可（如：东营市垦利区）。${tail}` }
    case 'skills': {
      const had = d.skills?.length ? (e ? `回「好」就选：${d.skills.join('、')}。\n` : `回「好」就按「${d.skills.join('、')}」登记，或回复数字重选。\n`) : ''
      return {
        text: `${e ? '您会哪些？回数字，可多选：' : '您擅长哪些方面？回复数字，可多选（如 1,3）：'}\n${numbered(env.menu.volunteerSkills)}\n${had}${tail}`,
        choices: pick(env.menu.volunteerSkills),
      }
    }
    case 'contact':
      return { text: e ? '留个电话，工作人员好联系您。' : `请留一个联系电话。只用于志愿服务联系，随时可发「删除我的信息」删除。${tail}` }
    case 'confirm': {
      const lines = [`称呼：${d.name ?? ''}`, `地区：${d.area ?? ''}`, `擅长：${(d.skills ?? []).join('、')}`, `电话：${maskContact(d.contact ?? '')}`]
      const options = ['提交', '重新填写', '取消']
      return { text: `${e ? '请看对不对：' : '请核对：'}\n${lines.join('\n')}\n回复数字：\n${numbered(options)}`, choices: pick(options) }
    }
  }
}

/** The first step of an order; a service already known (named in the question) skips the menu. */
export function startOrder(env: DialogueEnv, serviceId?: string): { draft: OrderDraft; prompt: Prompt } {
  const draft: OrderDraft = serviceId ? { kind: 'order', step: 'place', serviceId } : { kind: 'order', step: 'service' }
  return { draft, prompt: promptOf(draft, env) }
}

/** The first step of a volunteer registration, with skills the resident already named (「我是医生」). */
export function startVolunteer(env: DialogueEnv, skills: string[] = []): { draft: VolunteerDraft; prompt: Prompt } {
  const draft: VolunteerDraft = { kind: 'volunteer', step: 'name', ...(skills.length ? { skills } : {}) }
  return { draft, prompt: promptOf(draft, env) }
}

/** Re-asks a step after an answer that does not fit: what went wrong, then the step with its options. */
/** The contact step both dialogues end with: a phone number, then the confirmation. */
function contactStep<D extends OrderDraft | VolunteerDraft>(d: D, t: string, env: DialogueEnv, next: (patch: Partial<D>) => StepResult): StepResult {
  const contact = readContact(t)
  if (!contact) return again(d, env, env.elder ? '没看到电话号码。' : '没看到电话号码，请留一个手机号或座机号。')
  return next({ contact, step: 'confirm' } as Partial<D>)
}

/** The confirmation both dialogues end with: submit, start again from `first`, or ask again. */
function confirmStep(d: OrderDraft | VolunteerDraft, t: string, env: DialogueEnv, first: OrderDraft | VolunteerDraft): StepResult {
  if (YES.test(t)) return { submit: d, prompt: { text: '' } }
  if (REDO.test(t)) return { draft: first, prompt: promptOf(first, env) }
  return again(d, env, env.elder ? '请回数字。' : '请回复数字：1 提交，2 重新填写，3 取消。')
}

function again(d: OrderDraft | VolunteerDraft, env: DialogueEnv, why: string): StepResult {
  const p = promptOf(d, env)
  return { draft: d, prompt: { ...p, text: `${why}\n${p.text}` } }
}

const NOT_AN_ANSWER = (env: DialogueEnv) => (env.elder ? '没看懂。' : '没太看懂。正在登记，请先回答这一项；想问别的，先回复「取消」。')

/** Reads one answer to the step the draft is at. */
export function answer(draft: OrderDraft | VolunteerDraft, input: string, env: DialogueEnv): StepResult {
  const t = trimmed(input)
  if (CANCEL.test(t)) return { cancelled: true, prompt: { text: env.elder ? '好的，已取消。' : '好的，已取消，没有登记任何信息。需要时再发「点单」或「报名志愿者」。' } }
  return draft.kind === 'order' ? orderStep(draft, t, env) : volunteerStep(draft, t, env)
}

function orderStep(d: OrderDraft, t: string, env: DialogueEnv): StepResult {
  const next = (patch: Partial<OrderDraft>): StepResult => {
    const nd = { ...d, ...patch }
    return { draft: nd, prompt: promptOf(nd, env) }
  }
  switch (d.step) {
    case 'service': {
      const s = env.menu.find(t)
      if (!s) return again(d, env, env.elder ? '没看懂，请回数字。' : '没有找到这项服务，请回复下面的数字。')
      return next({ serviceId: s.id, step: 'place' })
    }
    case 'place': {
      if (QUESTION.test(t) || chars(t) < 2 || chars(t) > 60 || /^\d+$/u.test(t)) return again(d, env, NOT_AN_ANSWER(env))
      const region = env.regionIn(t) ?? env.region
      return next({ place: t, ...(region ? { region, step: 'date' as const } : { step: 'region' as const }) })
    }
    case 'region': {
      const n = /^\d{1,2}$/u.test(t) ? Number(t) : undefined
      const region = n !== undefined ? env.regions[n - 1] : (env.regions.find((r) => r === t) ?? env.regionIn(t))
      if (!region) return again(d, env, env.elder ? '没看懂，请回数字。' : '请回复下面的数字。')
      return next({ region, step: 'date' })
    }
    case 'date': {
      if (QUESTION.test(t) || chars(t) < 2 || chars(t) > 30 || /^\d+$/u.test(t)) return again(d, env, NOT_AN_ANSWER(env))
      return next({ date: NO_IDEA.test(t) ? '时间可商量' : t, step: 'size' })
    }
    case 'size': {
      if (NO_IDEA.test(t)) return next({ size: null, step: 'contact' })
      const n = readCount(t)
      if (n === undefined) return again(d, env, env.elder ? '请回一个数字。' : '请回复一个人数，如 50；不确定就回「不确定」。')
      return next({ size: n, step: 'contact' })
    }
    case 'contact':
      return contactStep(d, t, env, next)
    case 'confirm':
      return confirmStep(d, t, env, { kind: 'order', step: 'service' })
  }
}

function volunteerStep(d: VolunteerDraft, t: string, env: DialogueEnv): StepResult {
  const next = (patch: Partial<VolunteerDraft>): StepResult => {
    const nd = { ...d, ...patch }
    return { draft: nd, prompt: promptOf(nd, env) }
  }
  switch (d.step) {
    case 'name': {
      const name = t.replace(/^(?:我叫|我是|叫我|称呼我?|姓名[:：]?)/u, '').trim()
      if (QUESTION.test(t) || chars(name) < 1 || chars(name) > 20 || /\d/u.test(name)) return again(d, env, NOT_AN_ANSWER(env))
      return next({ name, step: 'area' })
    }
    case 'area': {
      if (QUESTION.test(t) || chars(t) < 2 || chars(t) > 30 || /^\d+$/u.test(t)) return again(d, env, NOT_AN_ANSWER(env))
      return next({ area: t, step: 'skills' })
    }
    case 'skills': {
      if (d.skills?.length && YES.test(t) && t !== '1') return next({ step: 'contact' })
      const skills = readSkills(t, env.menu.volunteerSkills)
      if (!skills.length) return again(d, env, env.elder ? '请回数字。' : '请回复数字，可多选，如 1,3。')
      return next({ skills, step: 'contact' })
    }
    case 'contact':
      return contactStep(d, t, env, next)
    case 'confirm':
      return confirmStep(d, t, env, { kind: 'volunteer', step: 'name' })
  }
}

const CN_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 「50」「50人」「大概三十个」「一百多人」「两百」 → a head count (1–100000); undefined when there is none. */
export function readCount(text: string): number | undefined {
  const t = text.replace(/[\s,，]/gu, '')
  const digits = /(\d{1,6})/u.exec(t)
  if (digits) {
    const n = Number(digits[1])
    return n >= 1 && n <= 100_000 ? n : undefined
  }
  const at = t.search(/[一二两三四五六七八九十]/u)
  if (at < 0) return undefined
  let n = 0
  // 一千二百三十四, 两百, 三十, 十五
  const parts = /(?:([一二两三四五六七八九])千)?零?(?:([一二两三四五六七八九])百)?零?(?:([一二两三四五六七八九])?十)?([一二两三四五六七八九])?/u.exec(t.slice(at))
  if (!parts || !parts[0]) return undefined
  n += parts[1] ? CN_DIGITS[parts[1]]! * 1000 : 0
  n += parts[2] ? CN_DIGITS[parts[2]]! * 100 : 0
  n += parts[0].includes('十') ? (parts[3] ? CN_DIGITS[parts[3]]! : 1) * 10 : 0
  n += parts[4] ? CN_DIGITS[parts[4]]! : 0
  return n >= 1 && n <= 100_000 ? n : undefined
}

/** The contact in an answer: a phone number (with the name said around it); undefined without a number. */
export function readContact(text: string): string | undefined {
  if (!PHONE.test(text) || chars(text) > 40) return undefined
  return text.replace(/\s+/gu, ' ').trim()
}

/** 「1,3」「1 3」「1、3」 or the skills' names → the skills chosen. */
export function readSkills(text: string, skills: readonly string[]): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(/\d{1,2}/gu)) {
    const s = skills[Number(m[0]) - 1]
    if (s) out.add(s)
  }
  for (const s of skills) if (text.includes(s)) out.add(s)
  return [...out]
}
