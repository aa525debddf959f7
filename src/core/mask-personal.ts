/**
 * Phone, ID, bank-card and QQ numbers and e-mail addresses masked out of a text before it is stored, in any
 * script a resident may type them in: Arabic and full-width digits (any Unicode digit), Chinese numerals
 * read digit by digit (一三八零零一三八零零零, 幺三八…), the financial forms (壹贰叁…), with spaces, dashes
 * or dots between the groups. What stays never holds seven digit-like characters in a row.
 */

/** Chinese characters that stand for one digit when a number is read out digit by digit. */
const CHINESE_DIGITS = '〇零一二三四五六七八九幺两兩壹贰貳叁參弎肆伍陆陸柒捌玖'
/** A digit-like character: any Unicode number (digits of every script, circled digits, 〇) or a Chinese digit. */
const DIGIT = `[\\p{N}${CHINESE_DIGITS}]`
/** What people put between groups of a number: spaces of every kind, dashes, dots, slashes. */
const SEPARATOR = '[\\s\\u00a0\\u3000\\-\\u2010-\\u2015\\u2212\\uff0d.\\uff0e\\u00b7\\u30fb/]'
/** A run of digit-like characters with short separators between them, and an ID number's final X. */
const RUN = new RegExp(`${DIGIT}(?:${SEPARATOR}{0,3}${DIGIT})*(?:[Xx](?![A-Za-z]))?`, 'gu')
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu
const IS_DIGIT = new RegExp(DIGIT, 'u')
const IS_CHINESE_DIGIT = new RegExp(`[${CHINESE_DIGITS}]`, 'u')
/** 2026-05-12, 2026/5/12, 2026.05.12: a date, not a number to hide. */
const DATE = /^\d{4}([-/.])\d{1,2}\1\d{1,2}$/u

/** What stands in for a masked number or address. */
export const MASK = '＊＊＊'

/** How many digits make a number personal: six (a verification code, a QQ number, a phone); seven in Chinese numerals only. */
export const MASK_MIN_DIGITS = 6
export const MASK_MIN_CHINESE_DIGITS = 7

/** The text with personal numbers and e-mail addresses replaced by ＊＊＊. */
export function maskPersonal(text: string): string {
  return text.replace(EMAIL, MASK).replace(RUN, (run) => {
    const digits = Array.from(run).filter((c) => IS_DIGIT.test(c))
    const chineseOnly = digits.every((c) => IS_CHINESE_DIGIT.test(c))
    if (digits.length < (chineseOnly ? MASK_MIN_CHINESE_DIGITS : MASK_MIN_DIGITS)) return run
    if (DATE.test(run.normalize('NFKC'))) return run
    return MASK
  })
}
