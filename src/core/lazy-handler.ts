import type { Handler } from './bot.js'

/**
 * A handler built on its first message: a skill whose content is large (the plans' index) costs
 * nothing until a question reaches it, so a command that never asks (`ics`, `announce`) never loads it.
 */
export function lazyHandler(build: () => Handler): Handler {
  let built: Handler | undefined
  return (ctx, next) => (built ??= build())(ctx, next)
}
