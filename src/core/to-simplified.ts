import * as OpenCC from 'opencc-js/t2cn'

/**
 * Traditional Chinese (generic, Taiwan and Hong Kong forms) to mainland simplified: 東營 → 东营, 牽頭 → 牵头.
 * Already-simplified text passes through unchanged, so every question can go through it.
 */
export const toSimplified: (text: string) => string = OpenCC.Converter({ from: 't', to: 'cn' })
