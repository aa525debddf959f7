/** A hazard staff can send an alert about: its name, the words residents use, the card topics with its know-how. */
export interface Hazard {
  /** The name in alerts and commands: 台风, 暴雨 … */
  name: string
  /** Words that mean it in a question or a command (the name included). */
  words: string[]
  /** Knowledge-card topics (content/kepu/*.yaml `topic:`) whose steps the alert appends, best first. */
  cardTopics: string[]
  /** The headline of the template. */
  headline: string
}

/** The hazards, in menu order. */
export const HAZARDS: readonly Hazard[] = [
  { name: '台风', words: ['台风', '热带风暴', '强台风'], cardTopics: ['台风', '风暴潮'], headline: '台风预警' },
  { name: '暴雨', words: ['暴雨', '大暴雨', '内涝', '强降雨', '暴雨内涝'], cardTopics: ['暴雨内涝', '防汛'], headline: '暴雨预警' },
  { name: '洪水', words: ['洪水', '山洪', '洪涝', '汛情', '防汛', '凌汛'], cardTopics: ['洪水', '防汛', '黄河凌汛'], headline: '洪水预警' },
  { name: '地震', words: ['地震', '余震'], cardTopics: ['地震'], headline: '地震应急提醒' },
  { name: '地质灾害', words: ['地质灾害', '山体滑坡', '滑坡', '泥石流', '崩塌', '塌陷', '采空区'], cardTopics: ['山体滑坡', '采空区'], headline: '地质灾害预警' },
  { name: '寒潮', words: ['寒潮', '降温', '大风降温', '冻害'], cardTopics: ['寒潮', '冬季保暖'], headline: '寒潮预警' },
  { name: '暴雪', words: ['暴雪', '大雪', '道路结冰', '冰冻', '结冰'], cardTopics: ['暴雪结冰'], headline: '暴雪道路结冰预警' },
  { name: '高温', words: ['高温', '中暑', '酷热', '热浪'], cardTopics: ['高温中暑', '夏季防暑'], headline: '高温预警' },
  { name: '雷电', words: ['雷电', '雷暴', '打雷', '闪电', '雷雨'], cardTopics: ['雷电', '闪电打雷'], headline: '雷电预警' },
  { name: '沙尘暴', words: ['沙尘暴', '沙尘', '扬沙', '浮尘'], cardTopics: ['沙尘暴'], headline: '沙尘暴预警' },
  { name: '森林火灾', words: ['森林火灾', '草原火灾', '山火', '森林防火', '草原防火'], cardTopics: ['森林草原火灾'], headline: '森林草原防火提醒' },
  { name: '大雾', words: ['大雾', '浓雾', '雾霾', '霾'], cardTopics: ['雾霾'], headline: '大雾雾霾预警' },
  { name: '传染病', words: ['传染病', '疫情', '流感', '登革热', '诺如'], cardTopics: ['流感', '登革热', '诺如病毒'], headline: '传染病防控提醒' },
]

/** The hazard a name or word denotes (「台风」「暴雨内涝」「泥石流」), or undefined. */
export function hazardByName(text: string): Hazard | undefined {
  const t = text.trim()
  return HAZARDS.find((h) => h.name === t) ?? HAZARDS.find((h) => h.words.includes(t))
}

/** The first hazard a question is about, by the longest word it uses (「暴雨内涝」 before 「暴雨」). */
export function hazardIn(text: string): Hazard | undefined {
  let best: Hazard | undefined
  let len = 0
  for (const h of HAZARDS) {
    for (const w of h.words) {
      if (Array.from(w).length > len && text.includes(w)) {
        best = h
        len = Array.from(w).length
      }
    }
  }
  return best
}
