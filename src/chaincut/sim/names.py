"""Words of the simulated world: fraud wording per category, label decorations, ordinary
app names, and the ways impostors bend a brand's name and package.

Kept as data so a world reads like the real thing (Chinese labels, H5 wording, look-alike
packages) without any of it coming from a real sample.
"""

from __future__ import annotations

import random
import string

from opencc import OpenCC
from pypinyin import lazy_pinyin

FRAUD_WORDING: dict[str, list[str]] = {
    "investment": ["高收益理财，稳赚不赔", "导师带单，每日推荐牛股", "数字货币投资，日收益5%",
                   "原始股内部认购名额有限", "跟单操作，保本保息", "炒股群VIP通道"],
    "loan": ["无抵押贷款，秒到账", "征信不好也能借款", "额度最高20万，低息分期",
             "放款前需缴纳保证金", "解冻账户请先充值", "网贷额度提现"],
    "banking": ["银行卡安全认证", "网银升级请输入卡号和密码", "手机银行账户异常，请验证",
                "信用卡额度提升", "短信验证码校验", "银行官方客服"],
    "payment": ["支付账户被冻结，请解冻", "扫码付款认证", "收款码升级",
                "钱包余额提现", "数字人民币钱包开通", "快捷支付验证"],
    "shopping": ["商品质量问题，双倍退款", "订单异常，办理退款", "快递丢失理赔",
                 "店铺刷单返利", "会员自动续费取消", "购物返现"],
    "part_time_job": ["刷单兼职，日结佣金", "手机点赞赚钱", "在家兼职日赚300",
                      "做任务返佣金", "垫付任务，佣金秒返", "招聘兼职打字员"],
    "dating": ["同城交友，视频聊天", "充值会员解锁私聊", "附近的人约会",
               "婚恋交友，真实认证", "聊天送礼物", "一对一视频"],
    "gambling": ["彩票投注，稳中计划", "百家乐真人娱乐", "首充送彩金",
                 "体育竞猜高赔率", "快三计划群", "充值上分下分"],
    "fake_authority": ["公安局通缉令查询", "涉嫌洗钱，配合调查", "安全账户资金核查",
                       "远程视频笔录", "检察院传票", "资金清查，冻结账户"],
    "customer_service": ["远程协助，屏幕共享", "会议号入会", "客服退款专员",
                         "取消百万保障服务", "注销校园贷账户", "共享屏幕指导操作"],
}

DECORATIONS = ["安全版", "极速版", "官方版", "尊享版", "Pro", "PLUS", "专业版", "VIP",
               "升级版", "HD", "2024", "国际版", "助手"]
ORDINARY_APPS = [
    ("记账本", "com.{org}.jizhang"), ("天气通", "com.{org}.weather"),
    ("健身打卡", "com.{org}.fit"), ("菜谱大全", "com.{org}.recipe"),
    ("小区物业", "com.{org}.wuye"), ("学习笔记", "com.{org}.notes"),
    ("社区团购", "com.{org}.tuangou"), ("停车助手", "com.{org}.parking"),
    ("企业OA", "com.{org}.oa"), ("门店收银", "com.{org}.pos"), ("医院挂号", "com.{org}.guahao"),
    ("驾考宝典", "com.{org}.jiakao"), ("汽车保养", "com.{org}.auto"),
    ("旅游攻略", "com.{org}.travel"),
]
ORDINARY_WORDING = ["欢迎使用", "关于我们", "隐私政策", "用户协议", "意见反馈", "版本更新",
                    "联系客服", "设置", "消息中心", "我的收藏"]
# unrelated legitimate finance firms: finance wording, no brand imitated
LEGIT_FINANCE = [("小微记账宝", "com.{org}.ledger"), ("理财计算器", "com.{org}.calc"),
                 ("社区信用社", "com.{org}.credit"), ("员工薪资通", "com.{org}.payroll")]
TLDS = ["top", "xyz", "vip", "cc", "club", "site", "icu", "online", "shop", "wang"]
PROVINCES = ["广东", "浙江", "江苏", "北京", "上海", "四川", "湖北", "河南", "山东", "福建",
             "湖南", "安徽", "陕西", "辽宁", "重庆", "云南"]

_TO_TRADITIONAL = OpenCC("s2t")


def word(rng: random.Random, n: int = 6) -> str:
    """A random pronounceable-ish ASCII token (domains, orgs)."""
    consonants, vowels = "bcdfghjklmnpqrstwxyz", "aeiou"
    return "".join(rng.choice(consonants if i % 2 == 0 else vowels) for i in range(n))


def hexid(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(n))


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def public_ip(rng: random.Random) -> str:
    """An address in ranges Chinese and HK hosting actually uses (never private/reserved)."""
    first = rng.choice([47, 103, 118, 119, 120, 121, 139, 154, 156, 182])
    return f"{first}.{rng.randrange(1, 255)}.{rng.randrange(1, 255)}.{rng.randrange(2, 254)}"


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + digits(rng, 9)


def fake_label(rng: random.Random, brand_names: list[str]) -> str:
    """What an impostor calls its app: the brand's name, bent one of several ways."""
    base = rng.choice(brand_names[:2])
    style = rng.randrange(4)
    if style == 0:
        return base + rng.choice(DECORATIONS)
    if style == 1:
        return str(_TO_TRADITIONAL.convert(base)) + rng.choice(["", "官方", "APP"])
    if style == 2 and any("\u4e00" <= ch <= "\u9fff" for ch in base):
        return "".join(lazy_pinyin(base)).capitalize() + rng.choice(["", " Pro", "宝"])
    return base


def lookalike_package(rng: random.Random, official: str, token: str) -> str:
    """A package that reads like the brand's own to a glance."""
    parts = official.split(".")
    style = rng.randrange(4)
    if style == 0:
        return official + "." + rng.choice(["safe", "pro", "vip", "app", "plus", "hd"])
    if style == 1 and len(parts) > 1:
        swapped = parts[1].replace("i", "l", 1) if "i" in parts[1] else parts[1] + "1"
        return ".".join([parts[0], swapped, *parts[2:]])
    if style == 2:
        return f"com.{token}{rng.choice(['app', 'mobile', 'bank', 'pay'])}.{word(rng, 4)}"
    return f"com.{word(rng, 5)}.{token}"
