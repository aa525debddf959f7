import { z } from 'zod'
import { MENU_KEY_PREFIX } from './to-incoming.js'

/**
 * The custom menu (自定义菜单) as staff write it in YAML (content/wechat-oa-menu.yaml), validated against
 * WeChat's limits, and turned into the body of `/cgi-bin/menu/create`. A button with `text` is a CLICK
 * button whose key carries that text (`kepu:<text>`): pressing it is the same as typing the text, on every
 * replica, with no table to keep. A button with `url` opens a page; one with `sub_button` is a sub-menu.
 */

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

const name = (max: number) => z.string().trim().min(1).refine((s) => bytes(s) <= max, `at most ${max} bytes (${Math.floor(max / 3)} Chinese characters)`)
const text = z.string().trim().min(1).refine((s) => bytes(MENU_KEY_PREFIX + s) <= 128, 'at most 123 bytes (41 Chinese characters): it travels in the button key')
const url = z.string().trim().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL').refine((s) => bytes(s) <= 1024, 'at most 1024 bytes')
const ONE_OF = 'give exactly one of text (a question the button sends), url (a page it opens) or sub_button (a sub-menu)'

const SubButton = z
  .object({ name: name(60), text: text.optional(), url: url.optional() })
  .strict()
  .refine((b) => (b.text === undefined) !== (b.url === undefined), ONE_OF.replace(' or sub_button (a sub-menu)', ''))

const TopButton = z
  .object({
    name: name(16),
    text: text.optional(),
    url: url.optional(),
    sub_button: z.array(SubButton).min(1, 'a sub-menu needs 1–5 buttons').max(5, 'a sub-menu holds at most 5 buttons').optional(),
  })
  .strict()
  .refine((b) => [b.text, b.url, b.sub_button].filter((x) => x !== undefined).length === 1, ONE_OF)

/** content/wechat-oa-menu.yaml */
export const MenuFileSchema = z.object({ button: z.array(TopButton).min(1, 'button: at least one button').max(3, 'button: WeChat shows at most 3 top-level buttons (put more in a sub_button list)') }).strict()
export type MenuFile = z.infer<typeof MenuFileSchema>

type Leaf = { name: string; text?: string | undefined; url?: string | undefined }

/** The body of `/cgi-bin/menu/create`. */
export function toWechatMenu(file: MenuFile): { button: unknown[] } {
  const leafOf = (b: Leaf) => (b.text !== undefined ? { type: 'click', name: b.name, key: `${MENU_KEY_PREFIX}${b.text}` } : { type: 'view', name: b.name, url: b.url })
  return { button: file.button.map((b) => (b.sub_button ? { name: b.name, sub_button: b.sub_button.map(leafOf) } : leafOf(b))) }
}
