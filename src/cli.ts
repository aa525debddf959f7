import { Command } from 'commander'
import { runCli } from './commands/run-cli.js'
import { register as registerAsk } from './commands/ask.js'
import { register as registerIcs } from './commands/ics.js'
import { register as registerChat } from './commands/chat.js'
import { register as registerServe } from './commands/serve.js'
import { register as registerAnnounce } from './commands/announce.js'
import { register as registerBroadcast } from './commands/broadcast.js'
import { register as registerReport } from './commands/report.js'
import { register as registerSkills } from './commands/skills.js'
import { register as registerData } from './commands/data.js'
import { register as registerWechatOa } from './commands/wechat-oa.js'

/**
 * The `kepu` command, the composition root: the only module that knows every part (adapters included).
 * Each subcommand lives in src/commands/<name>.ts and exports `register(program)`.
 */
const program = new Command('kepu').description('科普助手: science-literacy plans, activity calendar and anti-fraud help in chat')

// COMMANDS: each src/commands/<name>.ts registers itself here.
registerAsk(program)
registerIcs(program)
registerChat(program)
registerServe(program)
registerAnnounce(program)
registerBroadcast(program)
registerReport(program)
registerSkills(program)
registerData(program)
registerWechatOa(program)

await runCli(program)
