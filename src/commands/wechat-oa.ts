import { join, relative } from 'node:path'
import type { Command } from 'commander'
import { createWechatOaTools, type WechatOaTools } from '../adapters.js'
import { loadConfig } from '../config.js'
import { InputError, KepuError } from '../core/errors.js'
import { createLogger } from '../core/logger.js'
import { packageRoot } from '../core/package-root.js'
import { loadYaml } from '../knowledge/load-yaml.js'
import { RegionRegistry } from '../knowledge/region-registry.js'

/** A region's permanent QR code: its scene, and where to get the image. */
export interface RegionQrcode {
  region: string
  /** The QR code's scene; subscribers who scan it arrive with `qrscene_<scene>`. */
  scene: string
  ticket: string
  url: string
  imageUrl: string
}

/**
 * Creates the permanent QR code of a region (`--region 东营` → 东营市): residents who subscribe by scanning
 * it get their region set at once. Creating it again for the same region returns the same code.
 */
export async function createRegionQrcode(tools: Pick<WechatOaTools, 'api'>, regions: RegionRegistry, name: string): Promise<RegionQrcode> {
  const region = regions.byName(name)
  if (!region) throw new InputError(`kepu wechat-oa qrcode: unknown region ${JSON.stringify(name)} (known: ${regions.all().map((r) => r.name).join('、')})`)
  const qr = await apiCall(() => tools.api.createQrcode(region.name))
  return { region: region.name, scene: region.name, ...qr }
}

/** Validates the menu file and publishes it (or only shows the body with `dryRun`). */
export async function publishMenu(tools: WechatOaTools, file: string, dryRun: boolean): Promise<{ button: unknown[] }> {
  const rel = relative(process.cwd(), file)
  const menu = tools.toMenu(loadYaml(file, tools.menuSchema, rel && !rel.startsWith('..') ? rel : file))
  if (!dryRun) await apiCall(() => tools.api.createMenu(menu))
  return menu
}

/** An API refusal becomes one line naming the path and the errcode (exit 2), never the secret or token. */
async function apiCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof KepuError) throw err
    const code = (err as { errcode?: number }).errcode
    const hint = code === 40164 || code === 61004 ? " (add this machine's public IP to the IP whitelist: 公众平台 → 设置与开发 → 基本配置)" : code === 48001 ? ' (this account lacks the API: 服务号 only, verified)' : ''
    throw new KepuError('E_WECHAT_OA', `${err instanceof Error ? err.message : String(err)}${hint}`, { cause: err })
  }
}

const out = (line: string): void => void process.stdout.write(`${line}\n`)

async function tools(envFile: string | undefined): Promise<WechatOaTools> {
  const config = loadConfig(envFile ? { envFile } : {})
  return createWechatOaTools(config, createLogger({ level: config.KEPU_LOG_LEVEL, name: 'kepu-wechat-oa' }))
}

/** `kepu wechat-oa qrcode --region 东营`, `kepu wechat-oa menu [--file …] [--dry-run]`. */
export function register(program: Command): void {
  const oa = program.command('wechat-oa').description('WeChat Official Account (服务号): QR codes per region, the custom menu (adapters/wechat-official-account/README.md)')
  oa.command('qrcode')
    .description('create the permanent QR code of a region: who subscribes by scanning it gets that region')
    .requiredOption('--region <name>', 'region name or short form (东营, 乌海市 …)')
    .option('--env-file <path>', 'read variables from this file (default .env when present)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { region: string; envFile?: string; json?: boolean }) => {
      const t = await tools(opts.envFile)
      const qr = await createRegionQrcode(t, RegionRegistry.load(join(packageRoot(), 'content', 'regions.yaml')), opts.region)
      if (opts.json) return out(JSON.stringify(qr))
      out(`${qr.region}: scene ${qr.scene}`)
      out(`image (print this): ${qr.imageUrl}`)
      out(`encodes: ${qr.url}`)
      out(`ticket: ${qr.ticket}`)
    })
  oa.command('menu')
    .description('publish the custom menu (问方案 / 找活动 / 防诈骗 / 长辈模式) from a YAML file')
    .option('--file <path>', 'the menu file', join(packageRoot(), 'content', 'wechat-oa-menu.yaml'))
    .option('--dry-run', 'validate and print the request body; publish nothing')
    .option('--env-file <path>', 'read variables from this file (default .env when present)')
    .action(async (opts: { file: string; dryRun?: boolean; envFile?: string }) => {
      const t = await tools(opts.envFile)
      const menu = await publishMenu(t, opts.file, opts.dryRun === true)
      if (opts.dryRun) return out(JSON.stringify(menu, null, 2))
      out(`menu published: ${menu.button.length} top-level button(s); WeChat shows it to residents within minutes (re-subscribing shows it at once)`)
    })
}
