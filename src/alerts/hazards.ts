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
  /**
   * A first draft of the text staff write, for the console's form: what such an alert usually says, with
   * 「××」 where the facts go (the preview refuses a text that still has them).
   */
  starter: string
}

/** The hazards, in menu order. */
export const HAZARDS: readonly Hazard[] = [
  { name: '台风', words: ['台风', '热带风暴', '强台风'], cardTopics: ['台风', '风暴潮'], headline: '台风预警', starter: '受台风影响，预计××日××时至××日××时我市有大风和强降雨，沿海阵风可达××级。请减少外出，渔船回港避风，远离广告牌和临时搭建物。' },
  { name: '暴雨', words: ['暴雨', '大暴雨', '内涝', '强降雨', '暴雨内涝'], cardTopics: ['暴雨内涝', '防汛'], headline: '暴雨预警', starter: '预计××日××时至××时我市××一带有暴雨，局部大暴雨，低洼地段可能积水。请减少外出，不要涉水通行，不要在地下通道、地下车库停留。' },
  { name: '洪水', words: ['洪水', '山洪', '洪涝', '汛情', '防汛', '凌汛'], cardTopics: ['洪水', '防汛', '黄河凌汛'], headline: '洪水预警', starter: '××河水位上涨，预计××日××时前后洪峰经过××一带。沿河和低洼地带的居民请听从安排及时转移，不要靠近河道、不要下河捞物。' },
  { name: '地震', words: ['地震', '余震'], cardTopics: ['地震'], headline: '地震应急提醒', starter: '××日××时××分，××发生××级地震，我市有震感。请注意防范余震，暂时不要进入受损的房屋，以官方通报为准，不信谣不传谣。' },
  { name: '地质灾害', words: ['地质灾害', '山体滑坡', '滑坡', '泥石流', '崩塌', '塌陷', '采空区'], cardTopics: ['山体滑坡', '采空区'], headline: '地质灾害预警', starter: '近期降雨较多，××一带发生山体滑坡、泥石流的风险高。山区和沟谷附近的居民请留意山坡裂缝、异响，听从安排转移。' },
  { name: '寒潮', words: ['寒潮', '降温', '大风降温', '冻害'], cardTopics: ['寒潮', '冬季保暖'], headline: '寒潮预警', starter: '受寒潮影响，××日起我市气温将下降××℃以上，最低气温××℃，有××级大风。请注意防寒保暖，检查取暖设施，谨防一氧化碳中毒。' },
  { name: '暴雪', words: ['暴雪', '大雪', '道路结冰', '冰冻', '结冰'], cardTopics: ['暴雪结冰'], headline: '暴雪道路结冰预警', starter: '预计××日××时起我市有暴雪，道路结冰。请减少出行，开车减速慢行，行人注意防滑，及时清扫屋顶和大棚积雪。' },
  { name: '高温', words: ['高温', '中暑', '酷热', '热浪'], cardTopics: ['高温中暑', '夏季防暑'], headline: '高温预警', starter: '预计××日至××日我市最高气温××℃以上。请避免中午前后在户外劳作，多喝水，照顾好家里的老人和孩子。' },
  { name: '雷电', words: ['雷电', '雷暴', '打雷', '闪电', '雷雨'], cardTopics: ['雷电', '闪电打雷'], headline: '雷电预警', starter: '预计××日××时至××时我市有雷电，局部伴有短时强降水和大风。请尽量留在室内，不要在大树下、空旷处避雨。' },
  { name: '沙尘暴', words: ['沙尘暴', '沙尘', '扬沙', '浮尘'], cardTopics: ['沙尘暴'], headline: '沙尘暴预警', starter: '预计××日我市有沙尘暴，能见度低。请减少外出，外出戴口罩，关好门窗，开车减速慢行。' },
  { name: '森林火灾', words: ['森林火灾', '草原火灾', '山火', '森林防火', '草原防火'], cardTopics: ['森林草原火灾'], headline: '森林草原防火提醒', starter: '当前××一带森林草原火险等级高。进山入林严禁带火种，不要烧荒、烧秸秆、上坟烧纸，发现火情立即拨打 119 或 12119。' },
  { name: '大雾', words: ['大雾', '浓雾', '雾霾', '霾'], cardTopics: ['雾霾'], headline: '大雾雾霾预警', starter: '预计××日××时至××时我市有大雾，部分地区能见度不足××米。开车请减速慢行、打开雾灯，留意道路管制信息。' },
  { name: '传染病', words: ['传染病', '疫情', '流感', '登革热', '诺如'], cardTopics: ['流感', '登革热', '诺如病毒'], headline: '传染病防控提醒', starter: '近期我市××病例增多。请勤洗手、常通风，出现发热等症状及时就医，老人和孩子尽量少去人多的地方。' },
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
