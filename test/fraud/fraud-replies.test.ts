import { describe, expect, it } from 'vitest'
import { ensureHotline, fit, menuText, REPLY_TARGET_CHARS, withMenu } from '../../src/fraud/fraud-replies.js'

describe('fraud replies', () => {
  it('fit keeps the first and the last line and moves middle lines behind 「更多」', () => {
    const long = '很长的一句话。'.repeat(25)
    const text = ['开头', long, long, '拿不准请打 96110'].join('\n')
    const r = fit({ text, answered: true, intent: 'fraud' }, ['补充'])
    expect(Array.from(r.text).length).toBeLessThanOrEqual(REPLY_TARGET_CHARS + 20)
    expect(r.text.split('\n')).toHaveLength(4)
    expect(r.text.startsWith('开头')).toBe(true)
    expect(r.text).toContain('96110')
    expect(r.text).toContain('更多')
    expect(r.more).toBe([long, '补充'].join('\n'))
  })

  it('fit leaves a short reply alone', () => {
    const r = fit({ text: '短\n拿不准请打 96110', answered: true, intent: 'fraud' }, [])
    expect(r.text).toBe('短\n拿不准请打 96110')
    expect(r.more).toBeUndefined()
  })

  it('ensureHotline adds the line only when neither 96110 nor 110 is named', () => {
    expect(ensureHotline('别转账', 'L')).toBe('别转账\nL')
    expect(ensureHotline('打 110', 'L')).toBe('打 110')
    expect(ensureHotline('打 96110', 'L')).toBe('打 96110')
    expect(ensureHotline('编号 1101', 'L')).toBe('编号 1101\nL')
  })

  it('withMenu numbers the choices in the text and puts them on the reply', () => {
    const choices = [
      { label: '看下一条', value: '防骗提醒 2' },
      { label: '回到菜单', value: '长辈菜单' },
    ]
    expect(menuText(choices)).toBe('回复 1 看下一条\n回复 2 回到菜单')
    const r = withMenu({ text: '提醒', answered: true, intent: 'fraud' }, choices)
    expect(r.text).toBe('提醒\n回复 1 看下一条\n回复 2 回到菜单')
    expect(r.choices).toEqual(choices)
  })
})
