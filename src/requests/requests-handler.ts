import type { Context, Handler, ReplyWithMore } from '../core/bot.js'
import { cleanText } from '../core/clean-text.js'
import { DIALOGUE_TTL_MS } from '../core/user-state.js'
import type { KeyValueStore, PrivacyStore, ServiceRequestStore, VolunteerStore } from '../store/async-store.js'
import { answer, CANCEL, startOrder, startVolunteer, type DialogueEnv, type Draft, type Prompt } from './request-dialogue.js'
import type { ServiceMenu, Service } from './service-menu.js'

/** What the resident side needs of the store. */
export type ResidentData = ServiceRequestStore & VolunteerStore & KeyValueStore & PrivacyStore

export interface RequestsHandlerDeps {
  /** Absent (`ask`, `chat`): the handler says how to reach staff and keeps nothing. */
  data?: ResidentData
  menu: () => ServiceMenu
  /** Region names for the region step, and a finder for places (垦利区 → 东营市). */
  regionNames: () => readonly string[]
  regionIn: (text: string) => string | undefined
  /** KEPU_ADMIN_CONTACT. */
  adminContact?: string | undefined
  /** Queues a note to the staff (KEPU_ADMINS) about a new request or volunteer; no personal data in it. */
  tellStaff?: (text: string, at: Date) => Promise<void>
}

/** Where a resident's unfinished dialogue (it may hold their contact) is kept, for 30 minutes. */
export const DRAFT_KEY = (userKey: string): string => `requests:draft:${userKey}`
/** A rating is taken for a request closed this recently. */
const RATING_WINDOW_MS = 14 * 86_400_000

/** 「点单」「我要点单」「科技志愿服务点单」: start an order at once. */
const ORDER_COMMAND = /^(?:我要|我想|我来|帮我)?(?:群众)?(?:科技志愿服务|志愿服务|科普服务)?点单$|^(?:我要|我想)?(?:预约|申请)(?:科技志愿服务|科普志愿服务|志愿服务)$/u
/** 「我想报名当志愿者」「我是医生，能参加科技志愿服务吗」「志愿者怎么报名」. */
const VOLUNTEER =
  /(?:报名|注册|登记|加入|参加|参与|当|做|成为|申请当?)(?:一?名|个|一个)?(?:科技|科普)?志愿(?:者|服务(?!队?(?:有|是|采用|采取|模式))|服务队|队)|志愿者(?:报名|注册|招募|登记)|志愿者(?:怎么|咋|如何)(?:报名|当|加入|参加)/u
const SELF = /^(?:我|俺|咱|本人)|^(?:报名|登记|注册)(?:当|做)?(?:科技|科普)?志愿者$|(?:我|俺)(?:想|要|能|可以|也想|愿意)|(?:怎么|咋|如何|在哪|哪里)(?:报名|登记|参加|加入|当)|志愿者(?:报名|招募)/u
/** Asking to have someone come: 「村里想请专家来讲葡萄种植」「能不能派医生来社区义诊」. */
const ORDER_ASK =
  /(?:请|邀请|约|预约|申请|派|安排|找)(?:个|位|几个|些|一?下)?.{0,10}(?:专家|老师|医生|志愿者|志愿服务队|服务队|农技员|技术员|讲师|科技特派员|律师|心理咨询师|气象员|救护员|流动科技馆|科普大篷车|大篷车)|(?:申请|预约|点)(?:个|一场|一次)?(?:科普|科技志愿)(?:讲座|服务|活动|课)/u
/** 「删除我的信息」「删掉我的电话」. */
const FORGET = /^(?:请|帮我)?(?:删除|删掉|删了|清除|抹掉)(?:我的)?(?:个人)?(?:信息|资料|数据|电话|联系方式|登记|报名信息|点单信息)(?:吧|了)?$/u
const FORGET_YES = /^(?:1|确认删除|确认|确定|删除|是|是的|好|好的|删吧)$/u
/** A bare rating: 「5」「5分」「打4分」「五星」. */
const RATING = /^(?:打|给)?([1-5一二三四五])(?:分|星|颗星)?$/u
const CN_RATING: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 }
/** Words that bring 长辈模式's menu back: they end a dialogue, and the menu answers. */
const MENU_WORDS = /^(?:菜单|主菜单|回主菜单|返回菜单|返回主菜单|返回|0)$/u
/** What a person says that tells their skills (「我是医生」). */
const SKILL_HINTS: [RegExp, string][] = [
  [/医生|护士|大夫|药师|医务|卫生院/u, '医疗卫生'],
  [/老师|教师|教书/u, '教育教学'],
  [/农技|农艺|种植|养殖|农民/u, '农业技术'],
  [/救护员|急救/u, '应急救护'],
  [/程序员|工程师|IT|电脑|网络/u, '信息技术'],
  [/律师|法律|法官/u, '法律'],
  [/讲解员|科普员/u, '科普讲解'],
]

function reply(text: string, extra: Partial<ReplyWithMore> = {}): ReplyWithMore {
  return { text, answered: true, intent: 'request', ...extra }
}

function fromPrompt(p: Prompt): ReplyWithMore {
  // The dialogue state is reset so that a bare 「1」 is not read as an item of an earlier list.
  return reply(p.text, { ...(p.choices ? { choices: p.choices } : {}), remember: {} })
}

/**
 * 科技志愿服务「群众点单」 and volunteer registration for residents, in three handlers:
 * - `dialogue` (stage `command`): a guided dialogue in progress owns every message — a bare 「50」 is an
 *   audience size, not item 50 of a list — until it is submitted or cancelled (「取消」「算了」 at any step);
 *   also 「删除我的信息」 and a 1–5 rating after a request was closed;
 * - `entry` (stage `answer`): 「我想报名当志愿者」 starts the registration, 「村里想请专家来讲葡萄种植」 names the
 *   matching service and offers the order dialogue, 「点单」 starts it.
 * The draft lives in the store's key-value table for 30 minutes; the resident's contact is never logged.
 */
export function createRequestsHandlers(deps: RequestsHandlerDeps): { dialogue: Handler; entry: Handler } {
  const { data } = deps
  const envOf = (ctx: Context): DialogueEnv => ({
    menu: deps.menu(),
    regions: deps.regionNames(),
    regionIn: deps.regionIn,
    region: ctx.region?.name,
    elder: ctx.user.elder === true,
  })
  const contactLine = () => (deps.adminContact ? `请联系工作人员：${deps.adminContact}` : '请联系当地科协或社区（街道）')

  async function saveDraft(ctx: Context, draft: Draft): Promise<void> {
    await data!.setValue(DRAFT_KEY(ctx.userKey), JSON.stringify(draft), ctx.now, DIALOGUE_TTL_MS)
  }
  async function dropDraft(ctx: Context): Promise<void> {
    await data!.deleteValue(DRAFT_KEY(ctx.userKey))
  }
  async function loadDraft(ctx: Context): Promise<Draft | undefined> {
    const raw = await data!.getValue(DRAFT_KEY(ctx.userKey), ctx.now)
    if (!raw) return undefined
    try {
      return JSON.parse(raw) as Draft
    } catch {
      return undefined
    }
  }

  /** The answer as the resident typed it, or the value of the numbered choice they picked. */
  function typed(ctx: Context): string {
    const raw = cleanText(ctx.incoming.text).text
    const n = /^\d{1,2}$/u.test(raw) ? Number(raw) : undefined
    return (n !== undefined ? ctx.user.choices?.[n - 1]?.value : undefined) ?? raw
  }

  async function start(ctx: Context, draft: Draft, p: Prompt, head = ''): Promise<ReplyWithMore> {
    await saveDraft(ctx, draft)
    return fromPrompt(head ? { ...p, text: `${head}\n${p.text}` } : p)
  }

  async function submit(ctx: Context, d: Extract<Draft, { kind: 'order' | 'volunteer' }>): Promise<ReplyWithMore> {
    const e = ctx.user.elder === true
    await dropDraft(ctx)
    if (d.kind === 'order') {
      const r = await data!.createRequest(
        {
          channel: ctx.incoming.channel,
          chatId: ctx.incoming.chatId,
          userKey: ctx.userKey,
          region: d.region ?? ctx.region?.name ?? '',
          serviceId: d.serviceId ?? '',
          place: d.place ?? '',
          preferredDate: d.date ?? '',
          ...(d.size ? { audienceSize: d.size } : {}),
          contact: d.contact ?? '',
        },
        ctx.now,
      )
      // Never the contact or the place: the number, the service and the region are enough to follow it.
      ctx.log.info({ module: 'requests', request: r.number, service: r.serviceId, region: r.region }, 'requests: order received')
      await deps.tellStaff?.(`新的科技志愿服务点单 ${r.number}：${deps.menu().byId(r.serviceId)?.name ?? r.serviceId}（${r.region}）。查看：/requests ${r.number}`, ctx.now)
      return reply(
        e
          ? `登记好了，编号 ${r.number}。接单、排好时间都会告诉您。`
          : `已登记，编号 ${r.number}。工作人员派单、服务队接单和排好时间时，都会在这里告诉您。要删除登记的电话，发送「删除我的信息」。`,
        { remember: {} },
      )
    }
    await data!.registerVolunteer({ userKey: ctx.userKey, name: d.name ?? '', area: d.area ?? '', skills: d.skills ?? [], contact: d.contact ?? '' }, ctx.now)
    ctx.log.info({ module: 'requests', skills: d.skills?.length ?? 0 }, 'requests: volunteer registered')
    await deps.tellStaff?.(`新的科技志愿者报名（${(d.skills ?? []).join('、')}）。查看：/volunteers`, ctx.now)
    return reply(e ? '报名好了，谢谢您！工作人员会联系您。' : '报名已登记，谢谢您！工作人员会按您留的电话联系您。要删除登记的信息，发送「删除我的信息」。', { remember: {} })
  }

  async function rate(ctx: Context, raw: string): Promise<ReplyWithMore | undefined> {
    const m = RATING.exec(raw)
    if (!m) return undefined
    const closed = await data!.listRequests({ userKey: ctx.userKey, status: 'closed', limit: 3 })
    const now = ctx.now.getTime()
    const r = closed.find((x) => x.rating === undefined && now - x.updatedAt.getTime() <= RATING_WINDOW_MS)
    if (!r) return undefined
    // A number that picks a choice of a conversation held after the request was closed is that choice.
    const closedAt = [...r.history].reverse().find((h) => h.status === 'closed')?.at.getTime() ?? r.updatedAt.getTime()
    const pickedChoice = ctx.text !== raw && ctx.dialogue !== undefined && Date.parse(ctx.dialogue.at) > closedAt
    if (pickedChoice) return undefined
    const rating = CN_RATING[m[1]!] ?? Number(m[1])
    await data!.rateRequest(r.number, rating, ctx.now)
    ctx.log.info({ module: 'requests', request: r.number, rating }, 'requests: rated')
    return reply(ctx.user.elder ? `收到，${rating}分，谢谢您！` : `收到您的评分：${rating} 分，谢谢！我们会转告服务队。`, { remember: {} })
  }

  async function forget(ctx: Context): Promise<ReplyWithMore> {
    const counts = await data!.purgeUser(ctx.userKey)
    await data!.deleteValue(DRAFT_KEY(ctx.userKey))
    for (const k of Object.keys(ctx.user)) delete (ctx.user as Record<string, unknown>)[k]
    ctx.log.info({ module: 'requests', requests: counts.serviceRequests, volunteers: counts.volunteers, subscriptions: counts.subscriptions }, 'requests: resident data deleted on request')
    return reply('已删除：您点单留的电话和地点、志愿者登记、订阅和对话记录。点单编号和评分不含个人信息，留作统计。', { remember: {} })
  }

  const dialogue: Handler = async (ctx, next) => {
    if (!data || (ctx.incoming.isGroup && !ctx.incoming.mentioned) || ctx.incoming.forwarded) return next()
    const raw = cleanText(ctx.incoming.text).text
    if (FORGET.test(raw)) {
      await saveDraft(ctx, { kind: 'forget' })
      return reply('要删除您在这里留下的信息吗？包括点单留的电话和地点、志愿者登记、订阅和对话记录。\n1. 确认删除\n2. 不删了', {
        choices: [
          { label: '确认删除', value: '确认删除' },
          { label: '不删了', value: '不删了' },
        ],
        remember: {},
      })
    }
    // A dialogue in progress first: 「5」 at the audience step is five people, not a rating.
    const draft = ctx.dialogue?.intent === 'request' ? await loadDraft(ctx) : undefined
    if (!draft && RATING.test(raw)) {
      const rated = await rate(ctx, raw)
      if (rated) return rated
    }
    const ordering = ORDER_COMMAND.test(raw.replace(/[\s!！。]/gu, ''))
    // A phone number is asked for: never in a group.
    if (ctx.incoming.isGroup && (ordering || FORGET.test(raw))) return reply('这要留电话等个人信息，请私聊我，在私聊里发「点单」或「删除我的信息」。')
    if (ordering) {
      const s = startOrder(envOf(ctx))
      return start(ctx, s.draft, s.prompt)
    }
    if (!draft) return next()
    const input = typed(ctx)
    if (MENU_WORDS.test(input)) {
      await dropDraft(ctx)
      return next()
    }
    const env = envOf(ctx)
    switch (draft.kind) {
      case 'forget':
        await dropDraft(ctx)
        if (FORGET_YES.test(input)) return forget(ctx)
        return reply('好的，没有删除。', { remember: {} })
      case 'offer': {
        if (CANCEL.test(input) || /^(?:2|不用|不用了|不要|不需要)$/u.test(input)) {
          await dropDraft(ctx)
          return reply('好的。需要时发送「点单」。', { remember: {} })
        }
        if (/^(?:1|好|好的|好啊|行|可以|嗯|要|开始|开始点单|点单|是|是的)$/u.test(input)) {
          const s = startOrder(env, draft.serviceId)
          return start(ctx, s.draft, s.prompt)
        }
        // Something else: the offer lapses and the message is answered as usual.
        await dropDraft(ctx)
        return next()
      }
      default: {
        const r = answer(draft, input, env)
        if (r.cancelled) {
          await dropDraft(ctx)
          return reply(r.prompt.text, { remember: {} })
        }
        if (r.submit) return submit(ctx, r.submit)
        await saveDraft(ctx, r.draft!)
        return fromPrompt(r.prompt)
      }
    }
  }

  const entry: Handler = async (ctx, next) => {
    if ((ctx.incoming.isGroup && !ctx.incoming.mentioned) || ctx.incoming.forwarded) return next()
    const t = ctx.text.trim()
    if (FORGET.test(t) && !data) return reply('这里没有保存您的点单或志愿者登记信息。', { intent: 'request' })
    const volunteer = VOLUNTEER.test(t) && SELF.test(t) && !ORDER_ASK.test(t)
    const order = !volunteer && ORDER_ASK.test(t)
    if (!volunteer && !order) return next()
    const e = ctx.user.elder === true
    if (data && ctx.incoming.isGroup) return reply(`可以，科技志愿服务${volunteer ? '报名' : '「点单」'}要留电话，请私聊我，发「${volunteer ? '报名志愿者' : '点单'}」。`)
    if (volunteer) {
      if (!data) return reply(`欢迎参加科技志愿服务！报名登记${contactLine()}（这里暂时不能在线登记）。可以说说您擅长什么，如医疗卫生、农业技术、应急救护。`)
      const skills = SKILL_HINTS.filter(([re]) => re.test(t)).map(([, s]) => s).filter((s) => deps.menu().volunteerSkills.includes(s))
      const s = startVolunteer(envOf(ctx), skills)
      return start(ctx, s.draft, s.prompt, e ? '' : '可以！科技志愿者在这里报名登记。')
    }
    const service = deps.menu().find(t)
    const what = service ? describe(service) : ''
    if (!data) {
      return reply(
        `可以申请科技志愿服务「群众点单」${service ? `：${what}` : '，请志愿者到村里、社区讲课或服务'}。这里暂时不能在线点单，${contactLine()}，说明服务内容、地点、时间和人数。`,
      )
    }
    await saveDraft(ctx, service ? { kind: 'offer', serviceId: service.id } : { kind: 'offer' })
    const choices = [
      { label: '开始点单', value: '开始点单' },
      { label: '不用了', value: '不用了' },
    ]
    if (e) return reply(`可以点单请志愿者来${service ? `：${service.name}` : ''}。\n1. 开始点单\n2. 不用了`, { choices, remember: {} })
    return reply(
      `可以通过科技志愿服务「群众点单」申请${service ? `：${what}` : '志愿者上门服务'}。我问您几个问题（地点、时间、人数、电话）就能登记，工作人员派单后会告诉您。\n1. 开始点单\n2. 不用了`,
      { choices, remember: {} },
    )
  }

  return { dialogue, entry }
}

function describe(s: Service): string {
  return `「${s.name}」——${s.summary}（${s.teams.join('、')}）`
}

