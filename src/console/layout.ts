import { h, raw, type SafeHtml } from './html.js'

/** The console's pages, in the navigation's order. */
export const NAV = [
  { path: '/admin/', label: '概览' },
  { path: '/admin/unanswered', label: '未回答' },
  { path: '/admin/content', label: '知识卡片' },
  { path: '/admin/events', label: '活动' },
  { path: '/admin/announcements', label: '公告' },
  { path: '/admin/alerts', label: '应急' },
  { path: '/admin/requests', label: '服务单' },
  { path: '/admin/handoff', label: '人工' },
  { path: '/admin/audit', label: '操作记录' },
] as const

/** Large type, high contrast, one column on a phone; focus always visible. No external resources (CSP 'self'). */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:20px/1.6 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f6f6f2}
header{background:#0b4f6c;color:#fff;padding:.6em 1em}
header a{color:#fff}
.who{margin-right:.4em}
.bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.3em}
.brand{font-weight:700;font-size:1.15em;margin-right:1em}
nav ul{list-style:none;margin:.3em 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.2em 1em}
nav a{display:inline-block;padding:.25em .2em}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
main{max-width:60em;margin:0 auto;padding:1em}
h1{font-size:1.6em;margin:.3em 0 .6em}
h2{font-size:1.25em;margin:1.4em 0 .5em}
a{color:#0b4f6c}
:focus-visible{outline:3px solid #d35400;outline-offset:2px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #bbb;padding:.4em .5em;text-align:left;vertical-align:top}
th{background:#e8eef0}
td code{word-break:break-all;white-space:pre-wrap;font-size:.8em}
td{overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #ccc;border-radius:6px;padding:1em;margin:0 0 1em}
label{display:block;font-weight:600;margin:.8em 0 .2em}
input,select,textarea,button{font:inherit}
input[type=text],input[type=datetime-local],select,textarea{width:100%;padding:.4em;border:2px solid #666;border-radius:4px;background:#fff}
textarea{min-height:6em}
button,.button{display:inline-block;margin:.6em .4em .2em 0;min-height:44px;padding:.45em 1.1em;border:2px solid #0b4f6c;border-radius:6px;background:#0b4f6c;color:#fff;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#0b4f6c}
button.danger{background:#a61b1b;border-color:#a61b1b}
.notice{background:#e6f4ea;border-left:6px solid #1e7b34;padding:.6em 1em;margin:0 0 1em}
.error{background:#fdecea;border-left:6px solid #a61b1b;padding:.6em 1em;margin:0 0 1em}
.muted{color:#555}
.inline{display:inline}
fieldset{border:1px solid #bbb;border-radius:4px;margin:.8em 0}
fieldset label{display:inline-block;font-weight:400;margin:.2em 1em .2em 0}
pre.preview{white-space:pre-wrap;background:#fff;border:1px dashed #888;padding:.8em;font:inherit}
svg text{font-size:14px}
ol.messages{padding-left:1.4em}
ol.messages li{margin:.4em 0;white-space:pre-wrap}
details.unhelpful summary{cursor:pointer;padding:.5em 0;color:#0b4f6c}
ol.unhelpful{padding-left:1.4em;margin:0}
ol.unhelpful li{margin:0 0 .6em;white-space:pre-wrap}
ol.unhelpful p{margin:.1em 0}
@media (min-width:40em){table.unanswered th,table.unanswered td:nth-child(5){white-space:nowrap}table.unanswered td:last-child{min-width:9.5em}}
@media (max-width:40em){body{font-size:19px}th,td{padding:.3em}}
`

export interface PageOptions {
  title: string
  /** The current path, marked in the navigation. */
  path: string
  /** Who is logged in; absent on the login pages. */
  user?: string | undefined
  csrf?: string | undefined
  notice?: string | undefined
  error?: string | undefined
  /** Reload the page every this many seconds (a meta refresh: no script; only while something is under way). */
  refreshSeconds?: number | undefined
}

/** A whole page: Chinese, the navigation, one <main> with an <h1>. */
export function page(o: PageOptions, body: SafeHtml): string {
  const nav = o.user
    ? h`<nav aria-label="主菜单"><ul>${NAV.map((n) => h`<li><a href="${n.path}"${n.path === o.path ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`)}</ul></nav>`
    : ''
  const logout = o.user && o.csrf ? h`<form class="inline" method="post" action="/admin/logout">${csrfField(o.csrf)}<span class="who">${o.user}</span> <button class="secondary" type="submit">退出</button></form>` : ''
  return h`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${o.refreshSeconds ? h`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ''}<title>${o.title} · 科普助手管理台</title><link rel="stylesheet" href="/admin/console.css"></head>
<body><header><div class="bar"><span class="brand">科普助手管理台</span>${logout}</div>${nav}</header>
<main id="main"><h1>${o.title}</h1>
${o.notice ? h`<p class="notice" role="status">${o.notice}</p>` : ''}${o.error ? h`<p class="error" role="alert">${o.error}</p>` : ''}
${body}</main></body></html>`.value
}

/** The hidden CSRF field every form carries. */
export function csrfField(token: string): SafeHtml {
  return h`<input type="hidden" name="_csrf" value="${token}">`
}
