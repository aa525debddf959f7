import { createFloodGuard } from '../guard/flood-guard.js'
import type { KepuSkill } from './skill-env.js'

/**
 * Per-user limits (KEPU_USER_BURST, KEPU_USER_SUSTAINED) under `serve`: one chat cannot flood the bot.
 * `ask` and `chat` (no store) are a single local user and are not limited.
 */
export const floodGuardSkill: KepuSkill = {
  name: 'flood-guard',
  summary: '每位用户的发送上限：超出时提醒一次「您发得太快了」，其余丢弃并计数',
  setup: (env) => ({
    handlers: !env.store
      ? []
      : [
      {
        name: 'flood-guard',
        stage: 'observe',
        handle: createFloodGuard({
          logger: env.logger,
          limits: { burst: env.config.KEPU_USER_BURST, burstSeconds: 10, sustained: env.config.KEPU_USER_SUSTAINED, sustainedSeconds: 600 },
        }),
      },
    ],
  }),
}
