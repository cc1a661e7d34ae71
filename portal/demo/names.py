"""Realistic, invented Chinese names for the demo zone (any likeness to a real firm is chance)."""

from enterprises.validators import ALPHABET, make_uscc

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文辉力鹏飞俊峰斌宇浩凯婷雪琳晨曦宁欣怡"
    "博涵然轩睿嘉越泽昊天佳琪思远海燕永德庆成瑶蓉川渝蕾梅亮鑫"
)
BRANDS = (
    "华盛鑫泰宏恒瑞丰鼎隆川蜀龙昌源达信德凯润晨远航力天和兴佳安益立诚嘉金海正通汇中宇光明东方西南巨星"
    "盈钧銮腾跃鸿博新锐卓创"
)
INDUSTRY_WORDS = {
    "新材料": ("新材料科技", "硬质合金", "特种材料", "复合材料", "碳材料", "高分子材料", "轻量化材料"),
    "高端装备制造": ("精密机械", "重工", "阀门", "智能装备", "锅炉", "传动设备", "精密结构件"),
    "节能环保": ("环保科技", "节能技术", "环境工程", "水处理", "再生资源", "环保设备"),
    "电子信息": ("电子科技", "信息技术", "光电", "软件", "智能科技", "通信技术"),
    "生物医药": ("生物科技", "制药", "医疗器械", "药业", "健康产业"),
    "盐及盐化工": ("盐化", "化工", "盐业", "精细化工", "氯碱化工"),
    "现代物流": ("物流", "供应链管理", "仓储", "运输"),
    "食品饮料": ("食品", "调味品", "酒业", "饮品", "农产品加工"),
}
PLACES = ("自贡", "自贡", "自贡", "四川", "")
SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
ROADS = ("板仓工业园", "卧龙湖片区", "盐都大道", "汇东路", "丹桂大街", "荣川路", "南湖片区", "高新工业园")
AREAS = ("510300", "510302", "510303", "510304", "510311")


def person_name(rng, used):
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in used:
            used.add(name)
            return name


def company_name(rng, industry, used):
    while True:
        brand = rng.choice(BRANDS) + rng.choice(BRANDS)
        name = rng.choice(PLACES) + brand + rng.choice(INDUSTRY_WORDS[industry]) + rng.choice(SUFFIXES)
        if brand[0] != brand[1] and name not in used:
            used.add(name)
            return name


def credit_code(rng, used):
    """A valid code shaped like an enterprise registered in 自贡: 91 + area + MA6… + check."""
    while True:
        body = "91" + rng.choice(AREAS) + "MA6" + "".join(rng.choice(ALPHABET) for _ in range(6))
        code = make_uscc(body)
        if code not in used:
            used.add(code)
            return code


def mobile(rng):
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def address(rng):
    return f"自贡高新区{rng.choice(ROADS)}{rng.randint(1, 199)}号"
