import { normaliseQuestion } from '../announce/unanswered-recorder.js'
import { groupUnanswered } from '../announce/unanswered-report.js'
import type { HttpResponse, HttpRoute } from '../core/skill.js'
import { CATEGORIES, VERDICTS, type Card } from '../kepu/card-schema.js'
import type { SynonymEntry } from '../search/query-vocabulary.js'
import type { StaffContentRow } from '../store/console-store.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler, type StaffRequest } from './console-context.js'
import { h, raw, shanghaiTime, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'
import { cardFromForm, cardOf, cardsYaml, newCardId } from './staff-cards.js'
import { CONTENT_POLL_MS } from './staff-content.js'
import { describeGroup, newSynonymId, synonymFromForm, synonymGroups, synonymsYaml } from './staff-synonyms.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

const PATH = '/admin/content'
const TITLE = '知识卡片和同义词'

/** Where a form was opened from: an unanswered question (its grouping key and its words as staff see them). */
interface FromQuestion {
  key: string
  text: string
}

const checked = (on: boolean): SafeHtml => (on ? raw(' checked') : raw(''))
const selected = (on: boolean): SafeHtml => (on ? raw(' selected') : raw(''))

/**
 * 知识卡片和同义词: cards and synonym groups staff add — from a row of 未回答 or here — validated by the
 * content files' schemas, stored, and live at the next question (StaffContent.sync; other processes within
 * CONTENT_POLL_MS). Cards can be edited and withdrawn, groups withdrawn; both export as content YAML.
 * Adding from a question can mark it handled in the same step. Every change is audited (before → after).
 */
export function contentRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  const live = deps.staffContent

  /** The unanswered question a form was opened for (last 30 days), by its key. */
  async function questionOf(key: string | null, now: Date): Promise<FromQuestion | undefined> {
    if (!key) return undefined
    const groups = groupUnanswered(await deps.data.unansweredSince(new Date(now.getTime() - 30 * 86_400_000)))
    const g = groups.find((x) => normaliseQuestion(x.text) === key)
    return g ? { key, text: g.text } : undefined
  }

  function fromQuestion(q: FromQuestion | undefined, values?: URLSearchParams): SafeHtml {
    if (!q) return h``
    const on = values ? values.get('handled') === '1' : true
    return h`<input type="hidden" name="key" value="${q.key}"><input type="hidden" name="text" value="${q.text}">
<label for="f-handled"><input type="checkbox" id="f-handled" name="handled" value="1"${checked(on)}> 同时标为已处理</label>`
  }

  const askedLine = (q: FromQuestion | undefined): SafeHtml => (q ? h`<p>居民的问题：<strong>${q.text}</strong></p>` : h``)

  /** Marks the question handled when the form asked for it (the checkbox, on by default). */
  async function handleAlso(r: StaffRequest): Promise<boolean> {
    const key = (r.form.get('key') ?? '').trim()
    if (!key || r.form.get('handled') !== '1') return false
    await deps.store.markHandled(key, r.user, r.now)
    await audit(deps, r, 'unanswered.handle', key, { handled: false }, { handled: true, text: r.form.get('text') ?? '' })
    return true
  }

  function done(r: StaffRequest, what: string, handled: boolean): HttpResponse {
    if (r.form.get('key')) return redirect('/admin/unanswered', { notice: `${what}${handled ? '；问题已标为已处理' : ''}。居民下一次问就会用上。` })
    return redirect(PATH, { notice: `${what}。居民下一次问就会用上。` })
  }

  function cardForm(csrf: string, o: { row?: StaffContentRow; values?: URLSearchParams; q?: FromQuestion; today: string }): SafeHtml {
    const c: Card | undefined = o.row ? cardOf(o.row) : undefined
    const v = (name: string, fallback = ''): string => o.values?.get(name) ?? fallback
    const category = v('category', c?.category ?? '')
    const verdict = v('verdict', c?.verdict ?? '')
    const regions = o.values ? o.values.getAll('regions') : (c?.regions ?? [])
    return h`<form method="post" action="${PATH}/card" class="card">${csrfField(csrf)}
${o.row ? h`<input type="hidden" name="id" value="${o.row.id}">` : ''}${askedLine(o.q)}
<label for="c-category">分类</label>
<select id="c-category" name="category" required><option value="">（请选择）</option>${CATEGORIES.map((x) => h`<option${selected(x === category)}>${x}</option>`)}</select>
<label for="c-topic">主题（20 字以内，菜单里显示，如「燃气泄漏」）</label><input type="text" id="c-topic" name="topic" required value="${v('topic', c?.topic)}">
<label for="c-questions">居民会怎么问（一行一种说法，多写几种口语）</label><textarea id="c-questions" name="questions" required>${v('questions', c?.questions.join('\n') ?? o.q?.text ?? '')}</textarea>
<label for="c-keywords">关键词（可不填；用顿号或空格隔开）</label><input type="text" id="c-keywords" name="keywords" value="${v('keywords', c?.keywords.join('、'))}">
<label for="c-answer">回答（200 字以内，用自己的话写，事实来自权威来源）</label><textarea id="c-answer" name="answer" required>${v('answer', c?.answer)}</textarea>
<label for="c-elder">长辈模式的回答（80 字以内，只讲一件事）</label><textarea id="c-elder" name="elder" required>${v('elder', c?.elder)}</textarea>
<label for="c-steps">步骤（可不填；一行一步，每步 40 字以内，最多 8 步）</label><textarea id="c-steps" name="steps">${v('steps', c?.steps?.join('\n'))}</textarea>
<label for="c-claim">谣言的说法（只有「辟谣」卡片填）</label><input type="text" id="c-claim" name="claim" value="${v('claim', c?.claim)}">
<label for="c-verdict">结论（只有「辟谣」卡片选）</label>
<select id="c-verdict" name="verdict"><option value="">（不是辟谣卡片）</option>${VERDICTS.map((x) => h`<option${selected(x === verdict)}>${x}</option>`)}</select>
<label for="c-org">来源：发布机构（必填，如「应急管理部」）</label><input type="text" id="c-org" name="org" required value="${v('org', c?.source.org)}">
<label for="c-title">来源：文件或页面标题（必填，如「《家庭应急避险指南》」）</label><input type="text" id="c-title" name="title" required value="${v('title', c?.source.title)}">
<label for="c-year">来源：年份（必填）</label><input type="text" inputmode="numeric" id="c-year" name="year" required value="${v('year', c ? String(c.source.year) : '')}">
<label for="c-reviewed">最近一次核对的日期</label><input type="text" id="c-reviewed" name="reviewed" placeholder="2026-12-01" value="${v('reviewed', c?.reviewed ?? o.today)}">
<fieldset><legend>适用地区（不选表示各地通用）</legend>${deps.regions().map((x, i) => h`<label for="c-region-${i}"><input type="checkbox" id="c-region-${i}" name="regions" value="${x}"${checked(regions.includes(x))}> ${x}</label>`)}</fieldset>
${fromQuestion(o.q, o.values)}
<button type="submit">${o.row ? '保存修改' : '添加知识卡片'}</button> <a class="button" href="${o.q ? '/admin/unanswered' : PATH}">返回</a>
</form>`
  }

  function synonymForm(csrf: string, o: { rows: readonly StaffContentRow[]; values?: URLSearchParams; q?: FromQuestion; words?: string[] }): SafeHtml {
    const v = (name: string, fallback = ''): string => o.values?.get(name) ?? fallback
    const kind = v('kind', 'say')
    const group = v('group')
    const groups = synonymGroups(live.fileSynonyms(), o.rows)
    const prefill = (o.words ?? []).join('、')
    return h`<form method="post" action="${PATH}/synonym" class="card">${csrfField(csrf)}${askedLine(o.q)}
<fieldset><legend>怎么添加</legend>
<label for="s-kind-say"><input type="radio" id="s-kind-say" name="kind" value="say"${checked(kind === 'say')}> 居民这样说，按标准说法查（单向）</label>
<label for="s-kind-same"><input type="radio" id="s-kind-same" name="kind" value="same"${checked(kind === 'same')}> 几个词意思相同，互相通用</label>
<label for="s-kind-extend"><input type="radio" id="s-kind-extend" name="kind" value="extend"${checked(kind === 'extend')}> 把词加到已有的一组</label>
</fieldset>
<h2>居民这样说，按标准说法查</h2>
<label for="s-say">居民的说法（用顿号或空格隔开）</label><input type="text" id="s-say" name="say" value="${v('say', prefill)}">
<label for="s-means">标准说法（知识卡片、方案里用的词）</label><input type="text" id="s-means" name="means" value="${v('means')}">
<h2>几个词意思相同</h2>
<label for="s-same">意思相同的词（至少两个）</label><input type="text" id="s-same" name="same" value="${v('same')}">
<h2>加到已有的一组</h2>
<label for="s-group">已有的一组</label>
<select id="s-group" name="group"><option value="">（请选择）</option>${groups.map((g) => h`<option value="${g.key}"${selected(g.key === group)}>${describeGroup(g.entry)}${g.row ? '（管理台添加）' : ''}</option>`)}</select>
<label for="s-words">要加的词（居民的说法）</label><input type="text" id="s-words" name="words" value="${v('words', prefill)}">
${fromQuestion(o.q, o.values)}
<button type="submit">添加同义词</button> <a class="button" href="${o.q ? '/admin/unanswered' : PATH}">返回</a>
</form>`
  }

  function cardTable(rows: readonly StaffContentRow[], csrf: string): SafeHtml {
    const cards = rows.filter((r) => r.kind === 'card')
    if (!cards.length) return h`<p class="muted">还没有在管理台添加的知识卡片。</p>`
    return h`<table><caption class="muted">管理台添加的知识卡片（内容文件里的卡片另计）</caption><thead><tr><th scope="col">主题</th><th scope="col">居民的问法</th><th scope="col">来源</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>
${cards.map((r) => {
  const c = cardOf(r)
  return h`<tr><td>${c.topic}<br><span class="muted">${c.category}${c.regions ? ` · ${c.regions.join('、')}` : ''}</span></td><td>${c.questions[0] ?? ''}${c.questions.length > 1 ? h`<br><span class="muted">等 ${c.questions.length} 种问法</span>` : ''}</td><td>${c.source.org}${c.source.title}（${c.source.year}）</td>
<td>${r.status === 'active' ? '有效' : '已撤下'}<br><span class="muted">${r.createdBy} · ${shanghaiTime(r.updatedAt)}</span></td>
<td>${r.status === 'active' ? h`<a href="${PATH}/card?id=${r.id}" aria-label="${`修改卡片：${c.topic}`}">修改</a>
<form class="inline" method="post" action="${PATH}/card/withdraw">${csrfField(csrf)}<input type="hidden" name="id" value="${r.id}"><button class="danger" type="submit" aria-label="${`撤下卡片：${c.topic}`}">撤下</button></form>` : ''}</td></tr>`
})}</tbody></table>`
  }

  function synonymTable(rows: readonly StaffContentRow[], csrf: string): SafeHtml {
    const groups = rows.filter((r) => r.kind === 'synonym')
    if (!groups.length) return h`<p class="muted">还没有在管理台添加的同义词。</p>`
    return h`<table><caption class="muted">管理台添加的同义词（content/synonyms.yaml 里的另计）</caption><thead><tr><th scope="col">同义词</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>
${groups.map((r) => {
  const text = describeGroup(JSON.parse(r.body) as SynonymEntry)
  return h`<tr><td>${text}</td><td>${r.status === 'active' ? '有效' : '已撤下'}<br><span class="muted">${r.createdBy} · ${shanghaiTime(r.updatedAt)}</span></td>
<td>${r.status === 'active' ? h`<form class="inline" method="post" action="${PATH}/synonym/withdraw">${csrfField(csrf)}<input type="hidden" name="id" value="${r.id}"><button class="danger" type="submit" aria-label="${`撤下同义词：${text}`}">撤下</button></form>` : ''}</td></tr>`
})}</tbody></table>`
  }

  const pageOf = (r: StaffRequest, title: string, body: SafeHtml, status = 200, error?: string): HttpResponse =>
    htmlResponse(page({ title, path: PATH, user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined, error: error ?? r.req.query.get('error') ?? undefined }, body), status)
  const today = (r: StaffRequest): string => shanghaiTime(r.now).slice(0, 10)
  const yamlResponse = (name: string, body: string): HttpResponse => ({ status: 200, headers: { 'content-type': 'text/yaml; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }, body })

  return [
    guard('GET', PATH, async (r) => {
      const [cards, synonyms] = await Promise.all([deps.store.listStaffContent('card'), deps.store.listStaffContent('synonym')])
      return pageOf(
        r,
        TITLE,
        h`<p>在这里（或「未回答」页每个问题旁边）添加的知识卡片和同义词立即生效：居民下一次问就会用上，不用改文件、不用重启。
有几台服务器时，其他服务器 ${CONTENT_POLL_MS / 1000} 秒内跟上。填写的规则和内容文件（content/kepu/、content/synonyms.yaml）一样。</p>
<p><a class="button" href="${PATH}/card">添加知识卡片</a> <a class="button" href="${PATH}/synonym">添加同义词</a></p>
<h2>知识卡片</h2>${cardTable(cards, r.csrf)}<p><a href="${PATH}/cards.yaml">导出知识卡片为 YAML</a></p>
<h2>同义词</h2>${synonymTable(synonyms, r.csrf)}<p><a href="${PATH}/synonyms.yaml">导出同义词为 YAML</a></p>`,
      )
    }),

    guard('GET', `${PATH}/card`, async (r) => {
      const id = r.req.query.get('id')
      const row = id ? await deps.store.getStaffContent(Number(id)) : undefined
      if (id && (!row || row.kind !== 'card' || row.status !== 'active')) return redirect(PATH, { error: '没有这张卡片，或已撤下' })
      const q = await questionOf(r.req.query.get('key'), r.now)
      return pageOf(r, row ? '修改知识卡片' : '添加知识卡片', cardForm(r.csrf, { ...(row ? { row } : {}), ...(q ? { q } : {}), today: today(r) }))
    }),

    guard('POST', `${PATH}/card`, async (r) => {
      const id = r.form.get('id')
      const existing = id ? await deps.store.getStaffContent(Number(id)) : undefined
      if (id && (!existing || existing.kind !== 'card' || existing.status !== 'active')) return redirect(PATH, { error: '没有这张卡片，或已撤下' })
      const q = await questionOf(r.form.get('key'), r.now)
      const parsed = cardFromForm(r.form, deps.regions(), existing?.itemId ?? newCardId(), today(r))
      if ('errors' in parsed) {
        const form = cardForm(r.csrf, { ...(existing ? { row: existing } : {}), values: r.form, ...(q ? { q } : {}), today: today(r) })
        return pageOf(r, existing ? '修改知识卡片' : '添加知识卡片', form, 400, `没有保存：${parsed.errors.join('；')}`)
      }
      const body = JSON.stringify(parsed.card)
      if (existing) {
        await deps.store.updateStaffContent(existing.id, { body }, r.now)
        await audit(deps, r, 'content.card.edit', existing.itemId, cardOf(existing), parsed.card)
      } else {
        await deps.store.addStaffContent({ kind: 'card', itemId: parsed.card.id, body, createdBy: r.user }, r.now)
        await audit(deps, r, 'content.card.add', parsed.card.id, undefined, parsed.card)
      }
      await live.sync()
      const handled = await handleAlso(r)
      return done(r, `已${existing ? '保存' : '添加'}知识卡片：${parsed.card.topic}`, handled)
    }),

    guard('POST', `${PATH}/card/withdraw`, async (r) => {
      const row = await deps.store.getStaffContent(Number(r.form.get('id')))
      if (!row || row.kind !== 'card' || row.status !== 'active') return redirect(PATH, { error: '没有这张卡片，或已撤下' })
      await deps.store.updateStaffContent(row.id, { status: 'withdrawn' }, r.now)
      await audit(deps, r, 'content.card.withdraw', row.itemId, { status: 'active', topic: cardOf(row).topic }, { status: 'withdrawn' })
      await live.sync()
      return redirect(PATH, { notice: `已撤下知识卡片：${cardOf(row).topic}。居民不会再收到它。` })
    }),

    guard('GET', `${PATH}/synonym`, async (r) => {
      const q = await questionOf(r.req.query.get('key'), r.now)
      const rows = await deps.store.listStaffContent('synonym')
      return pageOf(r, '添加同义词', synonymForm(r.csrf, { rows, ...(q ? { q, words: live.questionWords(q.text) } : {}) }))
    }),

    guard('POST', `${PATH}/synonym`, async (r) => {
      const rows = await deps.store.listStaffContent('synonym')
      const q = await questionOf(r.form.get('key'), r.now)
      const parsed = synonymFromForm(r.form, synonymGroups(live.fileSynonyms(), rows))
      if ('errors' in parsed) return pageOf(r, '添加同义词', synonymForm(r.csrf, { rows, values: r.form, ...(q ? { q } : {}) }), 400, `没有保存：${parsed.errors.join('；')}`)
      const what = describeGroup(parsed.entry)
      const stored = parsed.extends?.row
      if (stored) {
        // A word added to a group kept here changes that group.
        await deps.store.updateStaffContent(stored.id, { body: JSON.stringify(parsed.entry) }, r.now)
        await audit(deps, r, 'content.synonym.edit', stored.itemId, JSON.parse(stored.body), parsed.entry)
      } else {
        const itemId = newSynonymId()
        await deps.store.addStaffContent({ kind: 'synonym', itemId, body: JSON.stringify(parsed.entry), createdBy: r.user }, r.now)
        await audit(deps, r, 'content.synonym.add', itemId, parsed.extends ? parsed.extends.entry : undefined, parsed.entry)
      }
      await live.sync()
      const handled = await handleAlso(r)
      return done(r, `已添加同义词：${what}`, handled)
    }),

    guard('POST', `${PATH}/synonym/withdraw`, async (r) => {
      const row = await deps.store.getStaffContent(Number(r.form.get('id')))
      if (!row || row.kind !== 'synonym' || row.status !== 'active') return redirect(PATH, { error: '没有这组同义词，或已撤下' })
      await deps.store.updateStaffContent(row.id, { status: 'withdrawn' }, r.now)
      await audit(deps, r, 'content.synonym.withdraw', row.itemId, { status: 'active', ...(JSON.parse(row.body) as SynonymEntry) }, { status: 'withdrawn' })
      await live.sync()
      return redirect(PATH, { notice: `已撤下同义词：${describeGroup(JSON.parse(row.body) as SynonymEntry)}` })
    }),

    guard('GET', `${PATH}/cards.yaml`, async () => yamlResponse('kepu-console.yaml', cardsYaml(await deps.store.listStaffContent('card')))),
    guard('GET', `${PATH}/synonyms.yaml`, async () => yamlResponse('synonyms-console.yaml', synonymsYaml(await deps.store.listStaffContent('synonym')))),
  ]
}
