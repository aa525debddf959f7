import { chmodSync, closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { createInterface, type Interface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { Adapter, IncomingHandler, Outgoing, SendReceipt } from '../../src/core/adapter.js'
import { KepuError, errorCode } from '../../src/core/errors.js'
import type { Incoming } from '../../src/core/incoming.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { msg } from '../../src/core/messages-zh.js'
import type { Reply } from '../../src/core/reply.js'
import { renderReply } from '../shared/render-text.js'
import { SLASH_COMMANDS } from '../shared/slash-commands.js'
import { capHistory, HISTORY_LIMITS, historyText, type HistoryLimits } from './history.js'
import { toConsoleInput, type ConsoleInput } from './to-incoming.js'

export { renderReply }

export interface ConsoleAdapterOptions {
  input?: Readable
  output?: Writable
  /** The user id the conversation is kept under (default `local`). */
  userId?: string
  /** A region to answer for until the user names another (passed as Incoming.region). */
  region?: string
  /** Where the line history is kept between sessions (terminal only); absent: not kept (KEPU_HISTORY=0). */
  historyFile?: string
  /** Caps on the kept history (default HISTORY_LIMITS: 500 lines, 64 KB, lines of at most 500 characters). */
  historyLimits?: HistoryLimits
  /** Show the greeting line on start (default true). */
  banner?: boolean
  logger?: Logger
}


/** The console's own commands, shown by /help before the bot's help. */
export const CONSOLE_HELP = [
  '命令：',
  ...SLASH_COMMANDS.filter((c) => c.command !== 'start').map((c) => `  /${c.command}  ${c.description}`),
  '  /history  看本次对话问过的问题',
  '  /quit  退出',
].join('\n')

/**
 * A chat in the terminal (`kepu chat`, `npm start`): one line in, the reply out; choices are numbered (type
 * the number to pick one); /help, /region <name>, /history, /quit. Works piped too: lines from stdin, replies
 * to stdout, in order, and `done` resolves at the end of input.
 */
export class ConsoleAdapter implements Adapter {
  readonly name = 'console'
  /** Resolves when the user quits or the input ends and every reply was printed. */
  readonly done: Promise<void>

  private readonly opts: ConsoleAdapterOptions
  private readonly out: Writable
  private readonly log: Logger
  private rl: Interface | undefined
  private handler: IncomingHandler | undefined
  private queue: Promise<void> = Promise.resolve()
  private readonly asked: string[] = []
  private seq = 0
  private closed = false
  private quit = false
  private resolveDone: () => void = () => {}

  private get limits(): HistoryLimits {
    return this.opts.historyLimits ?? HISTORY_LIMITS
  }

  constructor(options: ConsoleAdapterOptions = {}) {
    this.opts = options
    this.out = options.output ?? process.stdout
    this.log = (options.logger ?? silentLogger).child({ adapter: 'console' })
    this.done = new Promise((resolve) => (this.resolveDone = resolve))
  }

  async start(handler: IncomingHandler): Promise<void> {
    if (this.rl) throw new KepuError('E_ADAPTER_STATE', 'console: already started')
    this.handler = handler
    const input = this.opts.input ?? process.stdin
    const terminal = Boolean((this.out as { isTTY?: boolean }).isTTY && (input as { isTTY?: boolean }).isTTY)
    this.rl = createInterface({
      input,
      output: this.out,
      terminal,
      historySize: this.limits.maxLines,
      history: terminal ? this.loadHistory() : [],
      crlfDelay: Infinity,
    })
    this.rl.setPrompt('您：')
    if (terminal) this.rl.on('history', (h: string[]) => this.saveHistory(h))
    this.rl.on('line', (line) => {
      this.queue = this.queue
        .then(() => this.onLine(line))
        .catch((err: unknown) => this.log.error({ code: errorCode(err) }, 'console line failed'))
    })
    this.rl.on('close', () => {
      this.closed = true
      void this.queue.then(() => this.resolveDone())
    })
    if (this.opts.banner !== false) this.write('科普助手已就绪。输入问题后回车；/help 看命令，/quit 退出。')
    this.prompt()
  }

  async stop(): Promise<void> {
    this.closed = true
    this.rl?.close()
    await this.queue
    this.resolveDone()
  }

  /** Prints a message that is not a reply (an announcement) on its own line. */
  async send(message: Outgoing): Promise<SendReceipt> {
    this.write(`【通知】${message.text}`)
    this.prompt()
    return { messageId: `console-${++this.seq}` }
  }

  private async onLine(line: string): Promise<void> {
    if (this.quit) return
    const input: ConsoleInput = toConsoleInput(line)
    switch (input.kind) {
      case 'blank':
        break
      case 'quit':
        this.write('再见！')
        this.quit = true
        this.closed = true
        this.rl?.close()
        return
      case 'history':
        this.write(this.asked.length ? this.asked.map((q, i) => `${i + 1}. ${q}`).join('\n') : '还没有问过问题。')
        break
      case 'help':
        this.write(CONSOLE_HELP)
        await this.ask({ text: input.text, forwarded: false })
        break
      case 'ask':
        this.asked.push(line.trim())
        await this.ask(input)
        break
    }
    if (!this.closed) this.prompt()
  }

  private async ask(input: { text: string; forwarded: boolean }): Promise<void> {
    const incoming: Incoming = {
      channel: 'console',
      chatId: this.opts.userId ?? 'local',
      userId: this.opts.userId ?? 'local',
      isGroup: false,
      mentioned: true,
      forwarded: input.forwarded,
      text: input.text,
      messageId: String(++this.seq),
      ...(this.opts.region ? { region: this.opts.region } : {}),
    }
    let reply: Reply
    try {
      reply = await this.handler!(incoming)
    } catch (err) {
      this.log.error({ code: errorCode(err) }, 'bot failed on a console message')
      reply = { text: msg('error'), answered: false, intent: 'none' }
    }
    if (reply.silent || !reply.text.trim()) return
    this.write(renderReply(reply))
  }

  private write(text: string): void {
    this.out.write(`${text}\n\n`)
  }

  private prompt(): void {
    if (this.rl && this.rl.terminal && !this.closed) this.rl.prompt()
  }

  /** Reads the history (at most its byte cap, so an old oversized file costs nothing) under the caps. */
  loadHistory(): string[] {
    if (!this.opts.historyFile) return []
    let fd: number | undefined
    try {
      fd = openSync(this.opts.historyFile, 'r')
      const buf = Buffer.alloc(this.limits.maxBytes)
      const n = readSync(fd, buf, 0, buf.length, 0)
      const text = buf.subarray(0, n).toString('utf8')
      // A cut-off last line (the file was larger than the cap) is dropped.
      const lines = text.split('\n')
      if (n === buf.length) lines.pop()
      return capHistory(lines, this.limits)
    } catch {
      return []
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
  }

  /** Writes the capped history, readable by its owner only. */
  saveHistory(history: readonly string[]): void {
    if (!this.opts.historyFile) return
    try {
      mkdirSync(dirname(this.opts.historyFile), { recursive: true })
      writeFileSync(this.opts.historyFile, historyText(capHistory(history, this.limits)), { mode: 0o600 })
      // A file an older version wrote keeps its mode on rewrite: tighten it.
      chmodSync(this.opts.historyFile, 0o600)
    } catch (err) {
      this.log.warn({ code: errorCode(err) }, 'console history not saved')
    }
  }
}

/** Builds the console adapter. */
export function createConsoleAdapter(options: ConsoleAdapterOptions = {}): ConsoleAdapter {
  return new ConsoleAdapter(options)
}
