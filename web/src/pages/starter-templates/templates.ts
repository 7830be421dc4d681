/** A starter tag group: its name and its first tags, in the order they are shown. */
export type StarterGroup = { name: string; tags: readonly string[] };

/** An industry's starter groups; `id` keys its label in i18n (`starters:industry.<id>`). */
export type StarterTemplate = { id: string; groups: readonly StarterGroup[] };

const lifecycle: StarterGroup = { name: '生命周期', tags: ['新客户', '跟进中', '已成交', '复购客户', '沉睡客户', '已流失'] };

/**
 * Starter tag libraries by industry, for a corp that has just begun: a handful of groups each
 * (客户等级, 客户来源, 购买意向, 生命周期 and what the trade adds) with tags as WeCom back offices
 * usually set them up. Pure data: every name is within the default 16-character limit and passes
 * the server's name policy (checked by starter-templates.test.ts).
 */
export const starterTemplates: readonly StarterTemplate[] = [
  {
    id: 'realEstate',
    groups: [
      { name: '客户等级', tags: ['A级-高意向', 'B级-有意向', 'C级-观望', 'D级-无意向'] },
      { name: '客户来源', tags: ['案场到访', '电话来访', '老带新', '线上广告', '中介带看', '展会活动'] },
      { name: '购买意向', tags: ['刚需首套', '改善换房', '投资', '学区房', '商铺写字楼'] },
      { name: '意向户型', tags: ['一居室', '两居室', '三居室', '四居及以上', '别墅'] },
      { name: '预算范围', tags: ['100万以下', '100-200万', '200-300万', '300-500万', '500万以上'] },
      { name: '生命周期', tags: ['首次接触', '已到访', '已认筹', '已认购', '已签约', '已交房'] },
    ],
  },
  {
    id: 'retail',
    groups: [
      { name: '客户等级', tags: ['普通会员', '银卡会员', '金卡会员', '钻石会员'] },
      { name: '客户来源', tags: ['门店扫码', '线上商城', '直播间', '朋友推荐', '社群裂变'] },
      { name: '购买意向', tags: ['高意向', '中意向', '低意向'] },
      { name: '消费偏好', tags: ['价格敏感', '注重品质', '新品尝鲜', '促销活动', '礼品送人'] },
      lifecycle,
    ],
  },
  {
    id: 'hotel',
    groups: [
      { name: '客户等级', tags: ['普通会员', '银卡会员', '金卡会员', '白金会员'] },
      { name: '客户来源', tags: ['官网预订', 'OTA平台', '前台散客', '协议公司', '旅行社'] },
      { name: '出行目的', tags: ['商务出差', '休闲度假', '亲子出游', '会议宴会', '婚宴'] },
      { name: '入住偏好', tags: ['大床房', '双床房', '无烟楼层', '高楼层', '需要早餐'] },
      { name: '生命周期', tags: ['潜在客户', '首次入住', '多次入住', '长期未住'] },
    ],
  },
  {
    id: 'education',
    groups: [
      { name: '学员年级', tags: ['学龄前', '小学', '初中', '高中', '大学及成人'] },
      { name: '客户来源', tags: ['地推活动', '线上投放', '老学员推荐', '公开课', '自然到访'] },
      { name: '意向课程', tags: ['语文', '数学', '英语', '编程', '艺术', '体育'] },
      { name: '购买意向', tags: ['高意向', '中意向', '低意向', '已试听'] },
      { name: '生命周期', tags: ['潜在学员', '试听中', '已报名', '在读', '待续费', '已结课'] },
    ],
  },
  {
    id: 'beauty',
    groups: [
      { name: '客户等级', tags: ['新客', '普通会员', 'VIP会员', '至尊会员'] },
      { name: '客户来源', tags: ['门店到店', '美团点评', '小红书', '抖音', '老客推荐'] },
      { name: '关注项目', tags: ['皮肤管理', '美甲美睫', '美发', '身体护理', '医美项目'] },
      { name: '肤质', tags: ['干性', '油性', '混合性', '敏感肌'] },
      { name: '生命周期', tags: ['首次到店', '办卡会员', '定期护理', '待回访', '沉睡客户'] },
    ],
  },
  {
    id: 'auto',
    groups: [
      { name: '客户等级', tags: ['H级-7天内购车', 'A级-15天内购车', 'B级-30天内购车', 'C级-观望'] },
      { name: '客户来源', tags: ['展厅到店', '汽车之家', '懂车帝', '车展', '老客推荐'] },
      { name: '意向车型', tags: ['轿车', 'SUV', 'MPV', '新能源'] },
      { name: '购车方式', tags: ['全款', '贷款', '置换', '租赁'] },
      { name: '生命周期', tags: ['线索', '已到店', '已试驾', '已下订', '已交车', '售后保养'] },
    ],
  },
  {
    id: 'finance',
    groups: [
      { name: '客户等级', tags: ['普通客户', '潜力客户', '贵宾客户', '私行客户'] },
      { name: '客户来源', tags: ['网点到访', '电话营销', '线上申请', '客户转介绍', '企业代发'] },
      { name: '风险偏好', tags: ['保守型', '稳健型', '平衡型', '成长型', '进取型'] },
      { name: '关注产品', tags: ['存款', '理财', '基金', '保险', '贷款', '信用卡'] },
      { name: '生命周期', tags: ['新开户', '活跃客户', '资产提升', '待激活', '已流失'] },
    ],
  },
  {
    id: 'healthcare',
    groups: [
      { name: '客户来源', tags: ['门诊到访', '线上问诊', '体检中心', '患者推荐'] },
      { name: '关注科室', tags: ['口腔', '眼科', '体检', '康复理疗', '中医'] },
      { name: '购买意向', tags: ['高意向', '中意向', '低意向'] },
      { name: '生命周期', tags: ['初诊', '复诊', '疗程中', '待回访', '已结束'] },
    ],
  },
];
