import { describe, expect, it } from 'vitest'
import { extractUnitNote, parseUnitLine, splitUnits } from '../../src/knowledge/unit-parser.js'

describe('unit notes', () => {
  it.each([
    ['（市教育局牵头，市直有关部门单位配合）', ['市教育局'], []],
    ['〔市农业农村局牵头,市委宣传部、市科协等单位配合〕', ['市农业农村局'], ['市委宣传部', '市科协']],
    ['〔市教育(科技)局、市科协牵头，团市委等单位配合〕', ['市教育(科技)局', '市科协'], ['团市委']],
    ['青少年科学素质提升行动（市教体局、市科协、职业技术学院牵头）', ['市教体局', '市科协', '职业技术学院'], []],
    ['开展活动。（市委宣传部、市科协按职责分工负责）', [], ['市委宣传部', '市科协']],
  ])('%s', (text, leads, units) => {
    expect(extractUnitNote(text).note).toEqual({ leads, units })
  })

  it('leaves text without a note alone', () => {
    expect(extractUnitNote('到2025年，比例达到16%（含）。')).toEqual({ rest: '到2025年，比例达到16%（含）。' })
  })

  it('reads 牵头部门 and 责任部门 lines', () => {
    expect(parseUnitLine('牵头部门：人社局、总工会')).toEqual({ leads: ['人社局', '总工会'], units: [] })
    expect(parseUnitLine('责任部门：教育局、科技局')).toEqual({ leads: [], units: ['教育局', '科技局'] })
    expect(parseUnitLine('别的内容')).toBeUndefined()
  })

  it('splits lists and drops generic fillers', () => {
    expect(splitUnits('市委宣传部、市直有关部门\n团市委等')).toEqual(['市委宣传部', '团市委'])
  })
})
