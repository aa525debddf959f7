import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ContentError } from '../../src/core/errors.js'
import { loadFraudKnowledge } from '../../src/fraud/fraud-knowledge.js'
import { CONTENT_DIR } from './labelled-set.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A copy of content/fraud with one file's text changed. */
function withEdit(file: string, edit: (s: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kepu-fraud-'))
  dirs.push(dir)
  for (const f of ['types.yaml', 'signals.yaml', 'advice.yaml']) copyFileSync(join(CONTENT_DIR, 'fraud', f), join(dir, f))
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')))
  return dir
}

describe('loadFraudKnowledge', () => {
  it('covers every scam type the plans ask for, each with how, flags, todo and a tip', () => {
    const k = loadFraudKnowledge(CONTENT_DIR)
    const names = k.types.map((t) => t.name).join('|')
    for (const must of ['公检法', '刷单', '投资理财', '杀猪盘', '贷款', '客服', '校园贷', '领导', '子女', '养老', '保健品', '以房养老', '医保', '社保', 'ETC', '积分', '中奖', '游戏', '屏幕共享', '兼职']) {
      expect(names).toContain(must)
    }
    for (const t of k.types) {
      expect(t.how.length, t.id).toBeGreaterThan(20)
      expect(t.flags.length, t.id).toBeGreaterThan(0)
      expect(t.todo.length, t.id).toBeGreaterThan(0)
    }
  })

  it('knows the hotlines, what to do when cheated and what a 96110 call means', () => {
    const k = loadFraudKnowledge(CONTENT_DIR)
    expect(k.hotlines.antiFraud).toBe('96110')
    expect(k.hotlines.police).toBe('110')
    const cheated = k.topics.find((t) => t.id === 'cheated')!.text
    for (const s of ['110', '止付', '96110']) expect(cheated).toContain(s)
    expect(k.topics.find((t) => t.id === 'call-from-96110')!.text).toContain('接听')
    expect(k.topics.find((t) => t.id === 'app')!.text).toContain('国家反诈中心')
  })

  it('accepts the content folder or the fraud folder itself', () => {
    expect(loadFraudKnowledge(join(CONTENT_DIR, 'fraud')).types.length).toBe(loadFraudKnowledge(CONTENT_DIR).types.length)
  })

  it('a bad regular expression names the file, the item and the field', () => {
    const dir = withEdit('signals.yaml', (s) => s.replace("'安全(账|帐)户'", "'安全(账|帐户'"))
    expect(() => loadFraudKnowledge(dir)).toThrow(ContentError)
    expect(() => loadFraudKnowledge(dir)).toThrow(/signals\.yaml: signals item \d+ \(safe-account\): patterns\.0: not a valid regular expression/)
  })

  it('a missing field names the file, the item and the field', () => {
    const dir = withEdit('types.yaml', (s) => s.replace('    tip: 刷单返利都是诈骗，要您先垫钱的，一分都别给。\n', ''))
    expect(() => loadFraudKnowledge(dir)).toThrow(/types\.yaml: types item 2 \(刷单返利\): tip/)
  })

  it('an unknown signal in unless is refused', () => {
    const dir = withEdit('signals.yaml', (s) => s.replace('unless: [link-odd, ask-code]', 'unless: [link-odd, ask-kode]'))
    expect(() => loadFraudKnowledge(dir)).toThrow(/unless: unknown signal "ask-kode"/)
  })
})
