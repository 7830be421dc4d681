/** Synthetic demo material: common surnames and given-name characters, never real people. */
export const surnames = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
];
/** Characters that given names are built from. */
export const givenChars = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '桂',
  '英',
  '华',
  '玉',
  '文',
  '辉',
  '鹏',
  '婷',
  '雪',
  '晨',
  '宇',
  '欣',
  '浩',
  '佳',
  '思',
  '子',
  '梓',
  '轩',
  '涵',
];

/** Regions with the provinces and cities customers of that region live in. */
export const regions: Record<string, { province: string; cities: string[] }[]> = {
  华东: [
    { province: '上海', cities: ['上海'] },
    { province: '浙江', cities: ['杭州', '宁波', '温州'] },
    { province: '江苏', cities: ['南京', '苏州', '无锡'] },
  ],
  华北: [
    { province: '北京', cities: ['北京'] },
    { province: '天津', cities: ['天津'] },
    { province: '河北', cities: ['石家庄', '保定'] },
  ],
  西北: [
    { province: '陕西', cities: ['西安', '宝鸡'] },
    { province: '甘肃', cities: ['兰州'] },
  ],
  华南: [
    { province: '广东', cities: ['广州', '深圳', '佛山'] },
    { province: '福建', cities: ['福州', '厦门'] },
  ],
  西南: [
    { province: '四川', cities: ['成都', '绵阳'] },
    { province: '重庆', cities: ['重庆'] },
  ],
};

/** The department tree: id, name, parent, region (null = corp-wide), and how many staff sit there. */
export const departmentTree = [
  { deptId: 1, name: '演示科技有限公司', parentId: 0, region: null, staff: 0 },
  { deptId: 2, name: '华东大区', parentId: 1, region: '华东', staff: 1 },
  { deptId: 3, name: '上海销售部', parentId: 2, region: '华东', staff: 4 },
  { deptId: 4, name: '杭州销售部', parentId: 2, region: '华东', staff: 3 },
  { deptId: 5, name: '华北大区', parentId: 1, region: '华北', staff: 1 },
  { deptId: 6, name: '北京销售部', parentId: 5, region: '华北', staff: 4 },
  { deptId: 7, name: '西北大区', parentId: 1, region: '西北', staff: 1 },
  { deptId: 8, name: '西安销售部', parentId: 7, region: '西北', staff: 3 },
  { deptId: 9, name: '华南大区', parentId: 1, region: '华南', staff: 1 },
  { deptId: 10, name: '广州销售部', parentId: 9, region: '华南', staff: 3 },
  { deptId: 11, name: '西南销售部', parentId: 1, region: '西南', staff: 3 },
  { deptId: 12, name: '客户服务中心', parentId: 1, region: null, staff: 3 },
  { deptId: 13, name: '市场部', parentId: 1, region: null, staff: 3 },
] as const;

/** How customers were added, as WeCom's `add_way` codes with their share of customers. */
export const addWays: readonly (readonly [number, number])[] = [
  [1, 40], // 扫描二维码
  [2, 18], // 搜索手机号
  [3, 12], // 名片分享
  [4, 14], // 群聊
  [5, 6], // 手机通讯录
  [6, 5], // 微信联系人
  [16, 5], // 获客链接
];

/** Contact-way `state` markers (channel codes) for customers who scanned a 活码. */
export const contactStates = ['2026春季展会', '门店海报', '官网咨询', '直播间', '老客推荐'];

/** Words that synthetic company names are made of. */
export const companyParts = {
  prefixes: ['华信', '远航', '恒通', '新元', '博瑞', '星河', '中科', '鼎盛', '凯达', '瑞丰', '安泰', '海川'],
  trades: ['科技', '贸易', '实业', '文化传媒', '建筑工程', '医疗器械', '教育咨询', '物流', '食品', '置业'],
};

/** Enterprise tag groups with their tags and how often (relative weight) a tag is applied. */
export const tagLibrary: { name: string; order: number; tags: [string, number][] }[] = [
  {
    name: '客户等级',
    order: 100,
    tags: [
      ['A级重要客户', 6],
      ['B级普通客户', 14],
      ['C级潜在客户', 20],
    ],
  },
  {
    name: '购买意向',
    order: 90,
    tags: [
      ['高意向', 8],
      ['中意向', 12],
      ['低意向', 10],
      ['购房意向', 5],
      ['看房', 4],
    ],
  },
  {
    name: '客户来源',
    order: 80,
    tags: [
      ['线下活动', 8],
      ['朋友推荐', 9],
      ['广告投放', 7],
      ['官网咨询', 6],
    ],
  },
  {
    name: '投诉客户',
    order: 70,
    tags: [
      ['已投诉', 2],
      ['处理中', 1],
      ['已解决', 2],
    ],
  },
  {
    name: '行业',
    order: 60,
    tags: [
      ['金融', 4],
      ['教育', 5],
      ['医疗', 3],
      ['制造', 5],
      ['互联网', 6],
    ],
  },
  {
    name: '生命周期',
    order: 50,
    tags: [
      ['新客户', 10],
      ['活跃客户', 9],
      ['沉睡客户', 5],
      ['待激活', 4],
      ['已购买', 6],
    ],
  },
  { name: '协议价客户', order: 40, tags: [['协议价客户', 2]] },
  { name: '旅行团客户', order: 30, tags: [['旅行团客户', 2]] },
];

/** Personal tags some employees keep for themselves. */
export const personalTagNames = ['老朋友', '需回访', '周末联系', '重点跟进', '礼品已寄'];
