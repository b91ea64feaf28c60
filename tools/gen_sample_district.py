#!/usr/bin/env python3
"""Writes the bundled sample district (examples/data/) from a fixed seed: a station's year.

A fictional district modelled on 新城 (舟山) of seed 000 (seeds are ../shared/seeds/NNN_*.txt; "seed
000" below means that file): two streets (临城街道 and 千岛街道, "辖区内两个街道"), ten communities and
forty grids, the "1+4+N" forces of 如心共治警务站 (510 people, seed 000), and thirteen months of
incidents, October 2025 to October 2026, so that the newest month has a real 同比 (October 2025)
and 环比 (September 2026). One file per month: incidents_YYYY-MM.json.

Every volume, rate and proportion below either cites the seed figure it is taken from or says
"plausible" and why; the people are invented (random names and numbers from a fixed seed).
Seasonality follows the State Council's holiday calendar in examples/data/calendar/.

Standard library only, deterministic: running it twice writes the same bytes.
    /usr/bin/python3 tools/gen_sample_district.py examples/data
"""
import datetime as dt
import json
import math
import random
import re
import sys
from pathlib import Path

SEED = 20261001
LAT0, LNG0 = 29.9300, 122.1800   # south-west corner (长峙岛-like terrain)
CELL = 0.0040                     # grid cell size in degrees (~445 m x 385 m)
FIRST_MONTH = (2025, 10)          # the same month a year before the newest
MONTHS = 13                       # 2025-10 .. 2026-10
TZ = dt.timezone(dt.timedelta(hours=8))

# Two streets, as in seed 000 ("辖区内两个街道各建立1支专职即时处置队伍"). 千岛街道, 长峙岛, 如心小镇 and
# 颐景园 are named in seed 000; the other community names are invented for the sample (none is a
# place of another seed).
STREETS = [
    ("xc-lc", "临城街道", ["如心小镇社区", "长峙岛社区", "颐景园社区", "海院社区", "金鸡社区"]),
    ("xc-qd", "千岛街道", ["新港社区", "合兴社区", "千岛社区", "海天社区", "翁山社区"]),
]
# 长峙岛 has a university campus (the 高校学生 team of seed 000): its grids carry the "campus" tag.
CAMPUS_COMMUNITY = "xc-lc-c2"

# Residents per grid: 1,000 to 1,800, so a community of four grids holds 4,000-7,200 people (锦里:
# "2000余人...占社区总人数的四分之一", about 8,000, seed 002) and the district about 56,000 (五里亭
# 5.8万 实有人口, seed 001; 花源 5.3万 常住人口, seed 004).
GRID_RESIDENTS = (1000, 1800)
# Persons per household: 2.62 (plausible: the national average of the 2020 census).
PERSONS_PER_HOUSEHOLD = (2.4, 2.9)
# Units (实有单位): 1,626 for 5.8万 residents at 五里亭 (seed 001), about 28 per 1,000 residents.
UNITS_PER_1000 = 28

DIALECTS = ["舟山话", "宁波话", "温州话", "四川话"]


def q(s):
    return json.dumps(s, ensure_ascii=False)


def build_map(rng):
    areas = [dict(code="zs", name="舟山市", level="AREA_LEVEL_CITY"),
             dict(code="xc", name="新城", level="AREA_LEVEL_DISTRICT", parent="zs")]
    grids = []
    for si, (scode, sname, communities) in enumerate(STREETS):
        areas.append(dict(code=scode, name=sname, level="AREA_LEVEL_STREET", parent="xc"))
        for ci, cname in enumerate(communities):
            ccode = f"{scode}-c{ci + 1}"
            areas.append(dict(code=ccode, name=cname, level="AREA_LEVEL_COMMUNITY", parent=scode))
            # Each community is a 2 x 2 block of grids; communities of a street in a row,
            # streets stacked north of each other. Shared edges, no overlaps.
            for gi in range(4):
                row = si * 2 + gi // 2
                col = ci * 2 + gi % 2
                lat, lng = LAT0 + row * CELL, LNG0 + col * CELL
                gcode = f"{ccode}-g{gi + 1}"
                residents = rng.randint(*GRID_RESIDENTS)
                housing = int(residents / rng.uniform(*PERSONS_PER_HOUSEHOLD))
                units = max(5, int(residents * UNITS_PER_1000 / 1000 * rng.uniform(0.6, 1.4)))
                g = dict(code=gcode, name=f"{cname}第{gi + 1}网格", level="AREA_LEVEL_GRID",
                         parent=ccode,
                         box=(lat, lng, lat + CELL, lng + CELL),
                         register=dict(standard_addresses=int(housing * rng.uniform(1.02, 1.15)),
                                       actual_residents=residents, actual_housing=housing,
                                       actual_units=units))
                areas.append(g)
                grids.append(g)
    return areas, grids


# --- Forces -------------------------------------------------------------------------------------
# Weekly shifts are (weekday 0=Monday, start minute, end minute); an end past 1440 runs into the
# next day. Every member has rest days: nobody works seven days a week (plausible: the Labour Law's
# weekly rest; volunteers give a few evenings a week).
OFFICE = (510, 1050)            # 08:30-17:30
WEEKDAYS = range(5)


def office_week(start=OFFICE[0], end=OFFICE[1], days=WEEKDAYS):
    return [(d, start, end) for d in days]


def rotating_week(i, start, end, work_days=5):
    """Five (or work_days) days on, the rest off, rest days staggered by member index."""
    off = {(2 * i + k) % 7 for k in range(7 - work_days)}
    return [(d, start, end) for d in range(7) if d not in off]


# (force type, team id, team name, team area, members, skills, capacity per member, shifts(i),
#  homes: "community" | "street" | "district")
FORCES = [
    # Community police (社区民警): one per community (seed 002: 社区警务室民警; seed 004: 社区民警跟进
    # 一般性矛盾纠纷), office hours on weekdays plus one 24-hour station duty (值班) a week, with the
    # next day off; and twelve duty/patrol officers in three 8-hour watches, four per watch, five
    # days a week each (plausible: at least two officers on every watch, around the clock).
    ("FORCE_TYPE_POLICE", "t-police", "如心共治警务站社区警务队", "xc", 22,
     ["NEIGHBOUR", "FAMILY", "DEBT", "PROPERTY_DAMAGE", "PERSONAL_INJURY", "TRAFFIC", "MARRIAGE"], 12,
     None, "police"),
    # 专职即时处置队伍: one per street (seed 000), "1分钟接受指令、3分钟联系当事人、10分钟到现场";
    # six members each in an early and a late shift, five days a week (plausible).
    ("FORCE_TYPE_COMPREHENSIVE_GOVERNANCE", "t-jishi-lc", "临城街道专职即时处置队", "xc-lc", 6,
     ["NEIGHBOUR", "LABOUR", "PROPERTY_SERVICE"], 8,
     lambda i: rotating_week(i, 420, 900) if i % 2 == 0 else rotating_week(i, 900, 1380), "xc-lc"),
    ("FORCE_TYPE_COMPREHENSIVE_GOVERNANCE", "t-jishi-qd", "千岛街道专职即时处置队", "xc-qd", 6,
     ["NEIGHBOUR", "LABOUR", "PROPERTY_SERVICE"], 8,
     lambda i: rotating_week(i, 420, 900) if i % 2 == 0 else rotating_week(i, 900, 1380), "xc-qd"),
    # 城管 (seed 000: 社区民警协同城管执法人员; seed 001: 违法搭建 to 城市管理部门).
    ("FORCE_TYPE_CITY_MANAGEMENT", "t-chengguan", "城管执法中队", "xc", 10, ["PROPERTY_SERVICE"], 10,
     lambda i: rotating_week(i, 480, 1080, 5), "street"),
    # 保安: 29 guards in one community's 联勤队 (锦里, seed 002); ten per community here, 12-hour day
    # and night shifts, four a week (plausible: 四班二运转).
    ("FORCE_TYPE_SECURITY_GUARD", "t-baoan", "小区保安联勤队", "xc", 100, [], 4,
     lambda i: rotating_week(i, 480, 1200, 4) if i % 2 == 0 else rotating_week(i, 1200, 1920, 4),
     "community"),
    # 义警: 105 members for 5.3万 residents at 花源 (seed 004); evening patrols twice a week.
    ("FORCE_TYPE_VOLUNTEER_POLICE", "t-yijing", "新城义警队", "xc", 100, ["NEIGHBOUR", "PET"], 2,
     lambda i: [((i + k * 3) % 7, 1080, 1320) for k in range(2)], "community"),
    # 律师: "每日由2名专职律师坐堂接诊" (seed 000): four lawyers, two on each weekday.
    ("FORCE_TYPE_LAWYER", "t-lvli", "“律”力同心工作室", "xc", 4,
     ["DEBT", "LABOUR", "PROPERTY_DAMAGE", "PERSONAL_INJURY", "SALE", "MARRIAGE"], 6,
     lambda i: [(d, 540, 1020) for d in WEEKDAYS if d % 2 == i // 2], "district"),
    # 专职调解员 (seed 004: 离退休老干部、志愿者 who speak the local dialect).
    ("FORCE_TYPE_FULL_TIME_MEDIATOR", "t-mediators", "专职调解员", "xc", 6,
     ["NEIGHBOUR", "FAMILY", "LABOUR", "DEBT", "MARRIAGE", "NOISE", "PET", "PROPERTY_DAMAGE"], 8,
     lambda i: rotating_week(i, 510, 1050, 5), "street"),
    # 党员楼栋长 (seed 002: 街坊邻里纠纷，邀请党员楼栋长): residents, evenings and weekends.
    ("FORCE_TYPE_BUILDING_HEAD", "t-louzhang", "党员楼栋长", "xc", 80, ["NEIGHBOUR", "PET"], 3,
     lambda i: [(d, 1080, 1260) for d in WEEKDAYS if d % 2 == i % 2] + [(5, 540, 1200), (6, 540, 1200)],
     "community"),
    # 红色物业管家 (seed 002: 噪音纠纷，邀请红色物业管家; seed 000: 红色物业联盟).
    ("FORCE_TYPE_PROPERTY_MANAGER", "t-wuye", "红色物业管家", "xc", 40,
     ["NOISE", "PROPERTY_SERVICE", "PET"], 6, lambda i: rotating_week(i, 480, 1200, 5), "community"),
    # 高校学生 (seed 000: 7 social teams; seed 004: 校园反诈联盟).
    ("FORCE_TYPE_STUDENT", "t-students", "高校反诈联盟", "xc", 30, [], 0,
     lambda i: [(d, 840, 1200) for d in WEEKDAYS if d != i % 5], CAMPUS_COMMUNITY),
    # 外卖骑手 (seed 001: 外卖小哥 in the station's WeChat group).
    ("FORCE_TYPE_DELIVERY_RIDER", "t-riders", "外卖骑手平安群", "xc", 30, [], 0,
     lambda i: rotating_week(i, 600, 1200, 5), "street"),
    # 司法所 (seed 002: 买卖借贷经济纠纷，联系司法所指派人员进行法律援助).
    ("FORCE_TYPE_JUDICIAL_OFFICER", "t-sifa", "司法所", "xc", 3, ["DEBT", "SALE", "LABOUR"], 10,
     lambda i: office_week(), "street"),
    # 妇联 (seed 002: 融入妇联、司法、城管…).
    ("FORCE_TYPE_WOMENS_FEDERATION", "t-fulian", "妇联调解室", "xc", 3, ["FAMILY", "MARRIAGE"], 6,
     lambda i: office_week(), "street"),
    # "老娘舅" (seed 003: 组建"老娘舅""和事佬"等矛盾纠纷调解队伍): retired residents, six days a week,
    # 08:00-17:00.
    ("FORCE_TYPE_FOLK_MEDIATOR", "t-laoniangjiu", "“老娘舅”调解队", "xc", 10,
     ["NEIGHBOUR", "FAMILY", "PET"], 4, lambda i: rotating_week(i, 480, 1020, 6), "community"),
    # 社区工作人员 (seed 000: among the social teams), two per community, office hours.
    ("FORCE_TYPE_COMMUNITY_WORKER", "t-shequ", "社区工作人员", "xc", 20, ["NEIGHBOUR"], 4,
     lambda i: office_week(), "community"),
]
# With one grid worker per grid (40, below) the roster holds 510 people: "目前已形成了510人的四格融合
# 共治团队" (seed 000).

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志坚海燕晓东春生金凤德胜永福"


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def police_shifts(i):
    if i < 10:
        # Community police: weekdays in the office, one 24-hour duty a week on a weekday (08:30 to
        # 08:30), the day after it off; weekends are the duty and patrol officers'.
        duty = i % 5
        after = (duty + 1) % 7
        week = [(d, *OFFICE) for d in WEEKDAYS if d not in (duty, after)]
        week.append((duty, 510, 1950))
        return sorted(week)
    # Duty and patrol officers: watch 08:00-16:00, 16:00-24:00 or 00:00-08:00.
    k = i - 10
    start = (480, 960, 0)[k % 3]
    return rotating_week(k // 3, start, start + 480, 5)


def build_roster(rng, areas, grids):
    streets = [a for a in areas if a["level"] == "AREA_LEVEL_STREET"]
    communities = [a for a in areas if a["level"] == "AREA_LEVEL_COMMUNITY"]
    teams, members = [], []
    n = 0

    def member(force, team, home, skills, capacity, shifts):
        nonlocal n
        n += 1
        m = dict(id=f"m-{n:04d}", name=person_name(rng), force=force, team=team,
                 home=home, skills=skills, capacity=capacity, shifts=shifts,
                 open_cases=rng.randint(0, max(0, capacity - 1)) if capacity else 0,
                 dialects=rng.sample(DIALECTS, rng.randint(0, 2)))
        members.append(m)
        return m

    for force, tid, tname, tarea, count, skills, capacity, shifts, homes in FORCES:
        teams.append(dict(id=tid, name=tname, force=force, area=tarea))
        for i in range(count):
            if homes == "police":
                home = communities[i]["code"] if i < len(communities) else "xc"
                week = police_shifts(i)
            else:
                pool = {"community": communities, "street": streets}.get(homes)
                home = pool[i % len(pool)]["code"] if pool else (
                    "xc" if homes == "district" else homes)
                week = shifts(i)
            member(force, tid, home, skills, capacity, week)
    # One grid worker (网格员) per grid: the management grid (网格) of 四格融合; weekdays and Saturday
    # morning, Sunday off (plausible).
    teams.append(dict(id="t-grid", name="专职网格员队伍", force="FORCE_TYPE_GRID_WORKER", area="xc"))
    grid_worker = {}
    for g in grids:
        m = member("FORCE_TYPE_GRID_WORKER", "t-grid", g["code"], ["NEIGHBOUR", "NOISE", "PET"], 3,
                   office_week() + [(5, 510, 720)])
        grid_worker[g["code"]] = m["id"]
    # Four-grid teams: party lead and police officer per community, grid worker and mass-grid
    # members per grid.
    by_force_home = {}
    for m in members:
        by_force_home.setdefault((m["force"], m["home"]), []).append(m["id"])
    for c in communities:
        c["team"] = dict(
            party_grid_lead=by_force_home[("FORCE_TYPE_BUILDING_HEAD", c["code"])][0],
            police_grid_officer=by_force_home[("FORCE_TYPE_POLICE", c["code"])][0])
    for g in grids:
        mass = by_force_home.get(("FORCE_TYPE_VOLUNTEER_POLICE", g["parent"]), [])[:2]
        g["team"] = dict(management_grid_worker=grid_worker[g["code"]], mass_grid_members=mass)
    return teams, members, grid_worker


# --- Incidents ----------------------------------------------------------------------------------
# Volumes per month at the newest month's level (October 2026), before seasonality and trend.
#
# 110 police calls (警情): 240 a month. 平安小苑 diverted 106 non-police matters, 33.5% of its 警情,
# in its first months (April to summer), so about 316 警情 in ~4 months, ~80 a month for the area of
# one 综合治理站 (seed 003); the sample district is about three such areas.
# 12345 hotline items: 90 (plausible: the hotline refers mostly non-police matters to the grid
# platform, fewer than the 110 calls of a district this size).
# Grid patrol finds (网格巡查): 45, about one a grid a month (plausible: seed 001's 网格员 upload
# 社情民意 every day, most of it needs no case).
# Walk-ins at the station: 15; chat-group alerts (AI管家, 500 groups and 3万 people, seed 000): 20;
# transfers from other platforms: 6 (plausible).
PER_MONTH = {"CALL_110": 240, "HOTLINE_12345": 90, "GRID_PATROL": 45, "WALK_IN": 15,
             "CHAT_GROUP": 20, "PLATFORM_TRANSFER": 6}
# Kind mix per channel (shares add up to 1). 110: 33.5% non-police (seed 003). Disputes are 10% of
# the police part of 110 (plausible; with the other channels about 35 disputes a month: 花源's
# mediators alone settled ~600 in five years for 5.3万 people, ~10 a month, seed 004, and take the
# simple half of them). The 12345 hotline, grid patrols and the chat groups bring mostly
# non-police matters; walk-ins mostly disputes; chat groups fraud (seed 000's AI管家 example).
POLICE_110 = 1 - 0.335
KIND_MIX = {
    "CALL_110": {"NON_POLICE": 0.335, "DISPUTE": 0.10 * POLICE_110,
                 "PUBLIC_ORDER": 0.16 * POLICE_110, "CRIMINAL": 0.09 * POLICE_110,
                 "FRAUD": 0.07 * POLICE_110, "TRAFFIC": 0.22 * POLICE_110,
                 "ASSISTANCE": 0.31 * POLICE_110, "FIRE_HAZARD": 0.05 * POLICE_110},
    "HOTLINE_12345": {"NON_POLICE": 0.88, "DISPUTE": 0.10, "FIRE_HAZARD": 0.02},
    "GRID_PATROL": {"NON_POLICE": 0.78, "DISPUTE": 0.16, "FIRE_HAZARD": 0.06},
    "WALK_IN": {"DISPUTE": 0.50, "NON_POLICE": 0.20, "FRAUD": 0.20, "CRIMINAL": 0.10},
    "CHAT_GROUP": {"FRAUD": 0.50, "NON_POLICE": 0.30, "DISPUTE": 0.10, "ASSISTANCE": 0.10},
    "PLATFORM_TRANSFER": {"NON_POLICE": 0.70, "DISPUTE": 0.30},
}
# Year-on-year change of the newest month against the same month a year before, from seed 000's
# "今年以来" figures: all 警情 -3.4% (岛内总警情), 警情类纠纷 -57.7%, 新型侵财/通讯网络诈骗 -26.62%,
# 传统侵财 -24.38%, 打架斗殴 -9.18%. Applied as a steady monthly trend over the thirteen months; the
# other 110 kinds take the change that makes all 110 警情 fall 3.4%.
YOY_CHANGE = {"DISPUTE": -0.577, "FRAUD": -0.2662, "CRIMINAL": -0.2438, "PUBLIC_ORDER": -0.0918}
ALL_110_YOY = -0.034
# Dispute types (plausible: seed 004's 劳资、债务、家庭、邻里、婚恋 are the main fields; seed 002's
# 噪音 and 不文明养犬; seed 000's 漏水; seed 003's 人身损害赔偿).
DISPUTE_MIX = [("NEIGHBOUR", 22), ("NOISE", 14), ("FAMILY", 14), ("DEBT", 10), ("LABOUR", 8),
               ("PROPERTY_DAMAGE", 9), ("MARRIAGE", 6), ("PET", 7), ("PERSONAL_INJURY", 4),
               ("SALE", 3), ("PROPERTY_SERVICE", 2), ("TRAFFIC", 1)]
# Non-police matters by department. Utilities (水电气) are usually the largest category of 12345
# items (plausible); 违法搭建 and sewage go to 城管 (seeds 000, 001), lifts to 住建 (seed 001),
# fishermen's matters to 海防 (seed 003); 居住证 is a police service and is not diverted.
DEPARTMENT_MIX = [("UTILITIES", 24), ("CITY_MANAGEMENT", 22), ("HOUSING_CONSTRUCTION", 11),
                  ("MARKET_REGULATION", 11), ("COMMUNITY", 10), ("LABOUR", 7), ("ENVIRONMENT", 6),
                  ("JUDICIAL_OFFICE", 3), ("FIRE_RESCUE", 2), ("MARITIME", 2), ("TOBACCO", 1),
                  ("WOMENS_FEDERATION", 1)]
DESCRIPTIONS = {
    "NEIGHBOUR": ["邻里因公共空间堆放杂物发生争执", "邻居占用楼道停放电动车引发争吵"],
    "FAMILY": ["家庭成员因赡养问题发生争吵", "兄弟姐妹因老人房产分配发生矛盾"],
    "LABOUR": ["务工人员反映被拖欠工资", "渔船船员反映工钱未结清"],
    "DEBT": ["借款到期未还引发纠纷"], "MARRIAGE": ["恋人分手后财物纠纷"],
    "PROPERTY_DAMAGE": ["楼上房屋漏水影响楼下住户", "电动手推车撞裂公司墙体赔偿纠纷"],
    "PERSONAL_INJURY": ["双方就人身损害赔偿金额发生纠纷"],
    "NOISE": ["楼上楼下噪音纠纷", "夜间广场舞音响扰民"], "PET": ["宠物犬未拴绳惊吓老人"],
    "SALE": ["网购商品退货纠纷"], "PROPERTY_SERVICE": ["物业收费与维修责任纠纷"],
    "TRAFFIC": ["电动车剐蹭赔偿纠纷"],
    "PUBLIC_ORDER": ["夜宵摊酒后争吵", "酒后打架斗殴"], "CRIMINAL": ["电动车电瓶被盗", "商铺夜间被盗"],
    "FRAUD": ["刷单返利诈骗", "冒充客服退款诈骗", "疑似银行邮件链接诈骗"],
    "ASSISTANCE": ["儿童走失求助", "老人走失求助", "拾到手提包求助寻找失主", "手机银行转账转错账户求助"],
    "FIRE_HAZARD": ["阳台杂物着火隐患", "楼道电动车充电隐患"],
    "CITY_MANAGEMENT": ["商户污水直排绿化带", "违法搭建杂物棚", "占道经营"],
    "UTILITIES": ["小区停水多日无人处理", "楼道路灯损坏", "燃气费缴费争议"],
    "HOUSING_CONSTRUCTION": ["电梯损坏无人维修", "公共维修资金使用争议"],
    "MARKET_REGULATION": ["商家缺斤少两", "预付卡商家跑路"],
    "ENVIRONMENT": ["夜间施工扬尘", "餐馆油烟扰民"], "COMMUNITY": ["小区公共区域卫生无人清理"],
    "JUDICIAL_OFFICE": ["咨询法律援助"], "FIRE_RESCUE": ["消防通道被占用"],
    "MARITIME": ["渔船停泊纠纷"], "TOBACCO": ["无证售卖香烟"],
    "WOMENS_FEDERATION": ["妇女儿童权益咨询"],
    "LABOUR_DEPT": ["企业未签劳动合同投诉"],
}
# Dispute amounts (yuan): log-normal around a median per type (plausible); 5,000 yuan makes a
# dispute general and 50,000 major (the classification's defaults), so few are major. Seed 003's
# fishermen: 27万 for 11 people, ~25,000 each.
AMOUNT_MEDIAN = {"DEBT": 8000, "LABOUR": 12000, "SALE": 800, "PROPERTY_DAMAGE": 3000,
                 "PERSONAL_INJURY": 8000, "TRAFFIC": 1500, "MARRIAGE": 5000}
# Parties in a dispute: mostly two (plausible).
PARTY_COUNTS = ([2, 3, 4, 5], [88, 8, 3, 1])
# Report hour weights: 110 calls peak in the evening; hotline, walk-ins and platform transfers
# in office hours; grid patrols only in the grid worker's hours (plausible).
HOURS_110 = [2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 6, 6, 6, 7, 8, 9, 10, 10, 8, 5, 3]
HOURS_OFFICE = [0, 0, 0, 0, 0, 0, 0, 1, 4, 8, 8, 7, 3, 5, 8, 8, 7, 4, 1, 1, 1, 0, 0, 0]
HOURS_PATROL = [0] * 8 + [0, 6, 8, 6, 2, 4, 7, 7, 5] + [0] * 7


def load_calendar(path):
    """Holidays (name -> set of dates) and make-up workdays from the holiday textproto."""
    text = path.read_text(encoding="utf-8")
    holidays = {}
    for name, first, last in re.findall(
            r'holidays \{ name: "([^"]+)" first_day: "([0-9-]+)" last_day: "([0-9-]+)" \}', text):
        d, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while d <= end:
            holidays[d] = name
            d += dt.timedelta(days=1)
    workdays = {dt.date.fromisoformat(s) for s in re.findall(r'make_up_workdays: "([0-9-]+)"', text)}
    return holidays, workdays


def months():
    y, m = FIRST_MONTH
    for _ in range(MONTHS):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def season(kind, day, holidays, spring_festival):
    """Seasonal factor of a kind (or dispute type / department) on a day (plausible, as stated)."""
    f = 1.0
    # The next Spring Festival; None when the calendar does not have it yet (no effect then).
    days_to_festival = (spring_festival - day).days if spring_festival else -1
    festival = holidays.get(day, "").startswith("春节")
    summer = day.month in (7, 8)
    if kind == "FAMILY" and festival:
        f *= 2.0              # family quarrels over the Spring Festival gathering
    if kind in ("LABOUR", "LABOUR_DEPT") and 0 < days_to_festival <= 30:
        f *= 2.5              # wage arrears before the Festival
    if kind == "FIRE_HAZARD" and (festival or day.month in (12, 1)):
        f *= 2.0              # fireworks, heaters and e-bike charging in winter
    if kind == "NOISE" and summer:
        f *= 1.6              # open windows, square dancing
    if kind == "PUBLIC_ORDER" and summer:
        f *= 1.4              # night stalls and drinking (seed 004's 夜宵摊 patrols)
    if kind == "ASSISTANCE" and (summer or holidays.get(day, "").startswith("国庆")):
        f *= 1.3              # drowning prevention, lost children among holiday crowds
    if kind == "TRAFFIC" and holidays.get(day, "").startswith("国庆"):
        f *= 1.5              # Golden Week traffic
    return f


def day_factor(channel, day, holidays, workdays):
    """Office channels slow down on rest days and holidays; 110 calls rise on holidays."""
    rest = (day.weekday() >= 5 and day not in workdays) or day in holidays
    if channel == "CALL_110":
        return 1.15 if day in holidays else 1.0
    if channel in ("HOTLINE_12345", "PLATFORM_TRANSFER"):
        return 0.5 if rest else 1.2
    if channel in ("GRID_PATROL", "WALK_IN"):
        return 0.0 if rest else 1.4
    return 1.0


def trend_factors():
    """Per-kind factor of the first month (a year before the newest) relative to the newest."""
    first = {k: 1 / (1 + c) for k, c in YOY_CHANGE.items()}
    mix = KIND_MIX["CALL_110"]
    trended = sum(mix[k] * first[k] for k in first)
    rest = sum(v for k, v in mix.items() if k not in first)
    # all 110 a year before = 1 / (1 + ALL_110_YOY) of now
    other = (1 / (1 + ALL_110_YOY) - trended) / rest
    return first, other


def poisson(rng, lam):
    if lam <= 0:
        return 0
    # Knuth's method, fine for the small daily rates here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def weighted(rng, mix, factor=lambda name: 1.0):
    names = [n for n, _ in mix]
    weights = [w * factor(n) for n, w in mix]
    return rng.choices(names, weights=weights)[0]


def mean_factor(mix, factor):
    total = sum(w for _, w in mix)
    return sum(w * factor(n) for n, w in mix) / total


def build_incidents(rng, grids, grid_worker, holidays, workdays):
    """Thirteen months of incidents: {(year, month): [incident, ...]}."""
    spring = {y: min(d for d, n in holidays.items() if d.year == y and n.startswith("春节"))
              for y in {d.year for d in holidays}}
    first_factor, other_factor = trend_factors()
    walk_rng = random.Random(SEED + 512)
    residents = sum(g["register"]["actual_residents"] for g in grids)
    persons = [f"p-{i:05d}" for i in range(1, residents + 1)]
    weights = [g["register"]["actual_residents"] for g in grids]
    names = {}
    recent_disputes = []
    out = {}
    for mi, (year, month) in enumerate(months()):
        # Steady trend: the first month at first_factor, the newest at 1.
        progress = (MONTHS - 1 - mi) / (MONTHS - 1)
        first_day = dt.date(year, month, 1)
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        ndays = (next_month - first_day).days
        festival = spring.get(year if month < 7 else year + 1)
        events = []
        for offset in range(ndays):
            day = first_day + dt.timedelta(days=offset)
            for channel, per_month in PER_MONTH.items():
                dayf = day_factor(channel, day, holidays, workdays)
                for kind, share in KIND_MIX[channel].items():
                    # The seed's changes are of 警情: the trend applies to 110 calls only.
                    trend = (first_factor.get(kind, other_factor) ** progress
                             if channel == "CALL_110" else 1.0)
                    if kind == "DISPUTE":
                        s = mean_factor(DISPUTE_MIX, lambda t: season(t, day, holidays, festival))
                    elif kind == "NON_POLICE":
                        s = mean_factor(DEPARTMENT_MIX, lambda d: season(
                            "LABOUR_DEPT" if d == "LABOUR" else d, day, holidays, festival))
                    else:
                        s = season(kind, day, holidays, festival)
                    lam = per_month * 12 / 365.25 * share * trend * s * dayf
                    for _ in range(poisson(rng, lam)):
                        hours = (HOURS_110 if channel in ("CALL_110", "CHAT_GROUP") else
                                 HOURS_PATROL if channel == "GRID_PATROL" else HOURS_OFFICE)
                        hour = rng.choices(range(24), weights=hours)[0]
                        at = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                                         rng.randrange(60), tzinfo=TZ)
                        events.append((at, channel, kind))
        events.sort()
        incidents = []
        for i, (reported, channel, kind) in enumerate(events):
            grid = rng.choices(grids, weights=weights)[0]
            incidents.append(make_incident(rng, f"{year}-{month:02d}-{i + 1:06d}", reported,
                                           channel, kind, grid, grid_worker, persons, names,
                                           recent_disputes, holidays, festival))
        incidents += friday_walks(walk_rng, year, month, first_day, ndays, grids, grid_worker,
                                  persons, names, holidays, workdays, festival)
        incidents.sort(key=lambda inc: inc["reported_at"])
        out[(year, month)] = incidents
    return out


# The "512" Friday walk (seed 000: 每周五街道领导带领驻村联社团队走访村社网格, 收集社情民意): each
# street's walk visits WALK_GRIDS grids and files what people raise there as grid-patrol cases,
# found by the visited grid's own grid worker (the walking team's member for that grid). Counts
# are plausible: none to two matters a grid visited, mostly non-police (facilities, environment,
# property), some disputes. The walk keeps its own random stream so the other incidents are
# the same with or without it.
WALK_GRIDS = 3
WALK_FINDINGS = (0, 2)
WALK_KIND_MIX = [("NON_POLICE", 0.7), ("DISPUTE", 0.3)]
WALK_TAG = "512-walk"


def walk_day(friday, holidays, workdays):
    """The day the Friday walk is held: the Friday, or the next working day when it is a public
    holiday (as fengqiao::ConsultationCalendar moves a meeting)."""
    day = friday
    while day in holidays or (day.weekday() >= 5 and day not in workdays):
        day += dt.timedelta(days=1)
    return day


def friday_walks(rng, year, month, first_day, ndays, grids, grid_worker, persons, names,
                 holidays, workdays, festival):
    found = []
    streets = sorted({g["code"][:5] for g in grids})
    for offset in range(ndays):
        friday = first_day + dt.timedelta(days=offset)
        if friday.weekday() != 4:
            continue
        day = walk_day(friday, holidays, workdays)
        if day.month != month:
            continue  # moved into the next month: that month's file would not hold it
        for street in streets:
            in_street = [g for g in grids if g["code"].startswith(street)]
            for grid in rng.sample(in_street, WALK_GRIDS):
                for _ in range(rng.randint(*WALK_FINDINGS)):
                    kind = weighted(rng, WALK_KIND_MIX)
                    at = dt.datetime(day.year, day.month, day.day, rng.randint(9, 11),
                                     rng.randrange(60), rng.randrange(60), tzinfo=TZ)
                    inc = make_incident(rng, f"{year}-{month:02d}-W{len(found) + 1:04d}", at,
                                        "GRID_PATROL", kind, grid, grid_worker, persons, names,
                                        [], holidays, festival)
                    inc.setdefault("tags", []).append(WALK_TAG)
                    found.append(inc)
    return found


def make_incident(rng, iid, reported, channel, kind, grid, grid_worker, persons, names,
                  recent_disputes, holidays, festival):
    lat0, lng0, lat1, lng1 = grid["box"]
    utc = dt.timezone.utc
    inc = dict(id=iid, reported_at=reported.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
               grid_code=grid["code"],
               location=dict(lat_deg=round(rng.uniform(lat0 + 1e-5, lat1 - 1e-5), 6),
                             lng_deg=round(rng.uniform(lng0 + 1e-5, lng1 - 1e-5), 6)))
    occurred = reported - dt.timedelta(minutes=rng.randint(0, 90))
    inc["occurred_at"] = occurred.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    day = reported.date()
    tags = []
    if kind == "NON_POLICE":
        dept = weighted(rng, DEPARTMENT_MIX, lambda d: season(
            "LABOUR_DEPT" if d == "LABOUR" else d, day, holidays, festival))
        inc["responsible_department"] = f"DEPARTMENT_{dept}"
        desc = rng.choice(DESCRIPTIONS["LABOUR_DEPT" if dept == "LABOUR" else dept])
        inc["matter_code"] = MATTER_CODES[desc]
        parties = 1
    elif kind == "DISPUTE":
        dtype = weighted(rng, DISPUTE_MIX, lambda t: season(t, day, holidays, festival))
        inc["dispute_type"] = f"DISPUTE_TYPE_{dtype}"
        desc = rng.choice(DESCRIPTIONS[dtype])
        parties = rng.choices(*PARTY_COUNTS)[0]
        if dtype in AMOUNT_MEDIAN:
            yuan = AMOUNT_MEDIAN[dtype] * math.exp(rng.gauss(0, 1.0))
            inc["amount_fen"] = max(100, int(yuan)) * 100
        if dtype == "PERSONAL_INJURY" or rng.random() < 0.02:
            inc["injury"] = True
        if rng.random() < 0.015:
            inc["violence_risk"] = True
        if dtype == "LABOUR" and grid["code"].startswith("xc-qd") and rng.random() < 0.4:
            tags.append("maritime")   # 渔民劳资纠纷 (seed 003)
    else:
        desc = rng.choice(DESCRIPTIONS[kind])
        parties = 1 if kind in ("FRAUD", "ASSISTANCE", "FIRE_HAZARD", "CRIMINAL") else 2
    inc["kind"] = f"INCIDENT_KIND_{kind}"
    inc["channel"] = f"CHANNEL_{channel}"
    if kind == "DISPUTE":
        civil_non_police(inc, channel, dtype)
    if channel == "GRID_PATROL":
        inc["found_by_member_id"] = grid_worker[grid["code"]]
    # Parties: some disputes bring back parties of an earlier one (反复纠纷, plausible 8%).
    chosen = []
    if kind == "DISPUTE" and recent_disputes and rng.random() < 0.08:
        chosen = list(rng.choice(recent_disputes))[:parties]
    while len(chosen) < parties:
        p = rng.choice(persons)
        if p not in chosen:
            chosen.append(p)
    if kind == "DISPUTE":
        recent_disputes.append(chosen)
        del recent_disputes[:-60]
    for p in chosen:
        names.setdefault(p, person_name(rng))
    inc["parties"] = [dict(person_id=p, name=names[p],
                           role="PARTY_ROLE_COMPLAINANT" if k == 0 else "PARTY_ROLE_RESPONDENT",
                           phone=f"13{rng.randrange(10**9):09d}")
                      for k, p in enumerate(chosen)]
    if grid["parent"] == CAMPUS_COMMUNITY and rng.random() < 0.3:
        tags.append("campus")
    if rng.random() < 0.08:
        tags.append("elderly")
    if tags:
        inc["tags"] = tags
    inc["description"] = desc
    return inc


# Civil disputes that are not police matters (seed 003: a compensation dispute over a damaged
# wall, diverted to 社区 / 司法行政): a share of the civil dispute types when they come through the
# office channels, not 110 (plausible). Each incident decides by its own random stream (seeded
# by its id), so the rest of the data is the same with or without it.
CIVIL_NON_POLICE_TYPES = {"NEIGHBOUR", "PROPERTY_DAMAGE", "DEBT", "SALE", "PROPERTY_SERVICE"}
CIVIL_NON_POLICE_CHANNELS = {"HOTLINE_12345", "WALK_IN", "GRID_PATROL", "PLATFORM_TRANSFER"}
CIVIL_NON_POLICE_SHARE = 0.3
CIVIL_DEPARTMENTS = [("COMMUNITY", 6), ("JUDICIAL_OFFICE", 4)]


def civil_non_police(inc, channel, dtype):
    if dtype not in CIVIL_NON_POLICE_TYPES or channel not in CIVIL_NON_POLICE_CHANNELS:
        return
    own = random.Random(f"{SEED}-{inc['id']}")
    if own.random() < CIVIL_NON_POLICE_SHARE:
        inc["police_matter"] = False
        dept = weighted(own, CIVIL_DEPARTMENTS)
        inc["responsible_department"] = f"DEPARTMENT_{dept}"
        inc["matter_code"] = CIVIL_MATTER_CODES.get((dtype, dept), CIVIL_MATTER_CODES[dept])


def fmt_area(a):
    lines = ["areas {", f"  code: {q(a['code'])}", f"  name: {q(a['name'])}",
             f"  level: {a['level']}"]
    if "parent" in a:
        lines.append(f"  parent_code: {q(a['parent'])}")
    if "box" in a:
        lat0, lng0, lat1, lng1 = a["box"]
        lines.append("  boundary {")
        for lat, lng in [(lat0, lng0), (lat0, lng1), (lat1, lng1), (lat1, lng0)]:
            lines.append(f"    vertices {{ lat_deg: {lat:.4f} lng_deg: {lng:.4f} }}")
        lines.append("  }")
    if "team" in a:
        t = a["team"]
        lines.append("  team {")
        for k in ("party_grid_lead", "police_grid_officer", "management_grid_worker"):
            if k in t:
                lines.append(f"    {k}: {q(t[k])}")
        for m in t.get("mass_grid_members", []):
            lines.append(f"    mass_grid_members: {q(m)}")
        lines.append("  }")
    if "register" in a:
        r = a["register"]
        lines.append("  base_register { " + " ".join(f"{k}: {v}" for k, v in r.items()) + " }")
    lines.append("}")
    return "\n".join(lines)


# The district's rules of work for orders (工单), with the published rules they follow.
WORK_ORDERS = """# proto-file: fengqiao/v1/case.proto
# proto-message: fengqiao.v1.WorkOrderPolicy
# 新城区 rules of work for orders diverted to departments and supervised by the district's
# 社会治理中心 (read by fengqiao/closure/work_order_policy.h); unset fields keep the library's
# defaults.
sources: "国办发〔2020〕53号: 受理、派单、办理、答复、督办、办结、回访、评价 (the 12345 hotline's eight steps)"
sources: "吕梁 / 柳林 12345 rules (as cited in issue 18): a return within 1 working day with its basis, otherwise the receiver owns the matter; at most 3 extensions of at most 3 working days; urge before the due date, an urging notice after it, a notice of criticism at +5 working days"
sources: "国办发〔2022〕12号 on 12345–110 linkage: one-click transfer, a three-way call where ownership is unclear, the first platform to receive a matter handles it meanwhile"
sources: "松滋 12345 rules (as cited in issue 18): after two rounds of platform supervision the matter goes up to the government office, then the inspection office"

# Returns (退单) before the command room arbitrates (裁定).
max_returns: 2
# 首接负责: a department returns a matter within 1 working day of receiving it, with its basis;
# after that it is its own.
return_within_working_days: 1
# Extensions (延期): at most 3, of at most 3 working days each.
max_extensions: 3
max_extension_working_days: 3
# Supervision (督办): 通报 from 5 working days past the due date; 提级督办 after 2 rounds.
circular_after_working_days: 5
supervision_after_rounds: 2
supervision_bodies: "新城区社会治理中心"
supervision_bodies: "新城区人民政府办公室"
supervision_bodies: "新城区委区政府督查室"
"""


# How the district scores the departments on their orders (部门工单考核), with the published
# scorecards it follows; the weights and thresholds are ours (docs/scorecards.md).
SCORECARD = """# proto-file: fengqiao/v1/metrics.proto
# proto-message: fengqiao.v1.ScorecardPolicy
# 新城区 monthly scorecards of the departments that take diverted matters (read by
# fengqiao/metrics/scorecard_policy.h). The indicators are those the cities publish; every weight,
# threshold, minimum and list size below is our choice for the sample, not a city's figure.
sources: "榆林市12345热线月度综合考评红黑榜: 工单量、处办结果满意度、及时接收率、回退率、重办率、按时办结率; 红榜前五名, 黑榜后五名"
sources: "连云港市12345在线平台绩效评估标准(试行) as applied in its monthly 通报: 满分100分; 及时签收率80%、按时办结率66.67% scored 0 points"
sources: "苏州12345 2023年度: 及时处办率99.41%, 累计办结率98.36%, 抽查满意率97.69%"
sources: "北京接诉即办 三率考核: 响应率、解决率、满意率"
period: PERIOD_KIND_MONTH

# Points out of 100; an indicator scores weight x its share of good orders, and zero below the
# threshold.
indicators { indicator: SCORECARD_INDICATOR_ON_TIME_SIGNOFF weight: 15 threshold: 0.9 }
indicators { indicator: SCORECARD_INDICATOR_ON_TIME_COMPLETION weight: 25 threshold: 0.8 }
indicators { indicator: SCORECARD_INDICATOR_RETURN_RATE weight: 10 threshold: 0.8 }
indicators { indicator: SCORECARD_INDICATOR_REDO_RATE weight: 10 threshold: 0.8 }
indicators { indicator: SCORECARD_INDICATOR_SATISFACTION weight: 30 threshold: 0.6 }
indicators { indicator: SCORECARD_INDICATOR_SUPERVISED weight: 5 threshold: 0.7 }
indicators { indicator: SCORECARD_INDICATOR_EXTENDED weight: 5 threshold: 0.7 }

# A department with fewer orders in the month is listed, not ranked.
min_orders: 5
# 红榜: the best 3 scoring 90 or more; 黑榜: the worst 3 scoring below 80.
red_list_size: 3
red_list_min_score: 90
black_list_size: 3
black_list_below_score: 80
"""


# The district's responsibility catalogue (职责清单 / 派单目录): three levels as Shenzhen's
# 民意速办 catalogue (domain -> class -> item; theirs: 18 classes, 4,315 items), 18 classes here,
# a few items each, every item owned by one of the departments routing diverts to. Codes are
# ours: the domain's two digits, then the class's, then the item's three. Items handled at a
# community or a grid carry the admission basis the lint asks for (社区工作事项准入).
CATALOGUE = [
    ("01", "城市管理", [
        ("01", "市容环境", [("001", "占道经营", "CITY_MANAGEMENT"),
                          ("002", "乱张贴乱涂写", "CITY_MANAGEMENT"),
                          ("003", "户外广告招牌", "CITY_MANAGEMENT"),
                          ("004", "商户污水乱排", "CITY_MANAGEMENT")]),
        ("02", "违法建设", [("001", "违法搭建", "CITY_MANAGEMENT"),
                          ("002", "擅自改变房屋承重结构", "HOUSING_CONSTRUCTION")]),
        ("03", "噪声扰民", [("001", "建筑施工噪声", "ENVIRONMENT"),
                          ("002", "商业经营噪声", "CITY_MANAGEMENT")]),
    ]),
    ("02", "住房建设", [
        ("01", "物业管理", [("001", "物业服务质量", "HOUSING_CONSTRUCTION"),
                          ("002", "电梯停运维修", "HOUSING_CONSTRUCTION"),
                          ("003", "公共维修资金使用", "HOUSING_CONSTRUCTION")]),
        ("02", "房屋安全", [("001", "危房隐患", "HOUSING_CONSTRUCTION"),
                          ("002", "房屋渗漏", "HOUSING_CONSTRUCTION")]),
    ]),
    ("03", "市场监管", [
        ("01", "消费维权", [("001", "商品质量", "MARKET_REGULATION"),
                          ("002", "预付卡退费", "MARKET_REGULATION"),
                          ("003", "计量短缺", "MARKET_REGULATION")]),
        ("02", "食品安全", [("001", "无证经营餐饮", "MARKET_REGULATION"),
                          ("002", "过期食品", "MARKET_REGULATION")]),
        ("03", "烟草专卖", [("001", "无证销售卷烟", "TOBACCO"),
                          ("002", "向未成年人售烟", "TOBACCO")]),
    ]),
    ("04", "劳动保障", [
        ("01", "欠薪", [("001", "拖欠农民工工资", "LABOUR"),
                      ("002", "渔船船员欠薪", "LABOUR")]),
        ("02", "劳动关系", [("001", "未签劳动合同", "LABOUR")]),
    ]),
    ("05", "生态环境", [
        ("01", "大气污染", [("001", "餐饮油烟", "ENVIRONMENT"),
                          ("002", "工业废气", "ENVIRONMENT"),
                          ("003", "施工扬尘", "ENVIRONMENT")]),
        ("02", "水污染", [("001", "污水直排", "ENVIRONMENT")]),
    ]),
    ("06", "公共安全与服务", [
        ("01", "供水供电供气", [("001", "停水", "UTILITIES"), ("002", "停电", "UTILITIES"),
                            ("003", "燃气报装", "UTILITIES"), ("004", "公共照明损坏", "UTILITIES"),
                            ("005", "水电气费用争议", "UTILITIES")]),
        ("02", "消防安全", [("001", "消防通道堵塞", "FIRE_RESCUE"),
                          ("002", "电动自行车楼道充电劝导", "FIRE_RESCUE", "GRID",
                           "新城区社区协助办理事项清单 (sample) 第3项: 网格员巡查劝导, 执法归消防")]),
        ("03", "海上安全", [("001", "渔船安全隐患", "MARITIME"), ("002", "渔船停泊纠纷", "MARITIME")]),
    ]),
    ("07", "社会事务", [
        ("01", "婚姻家庭", [("001", "家庭矛盾调处", "WOMENS_FEDERATION"),
                          ("002", "妇女儿童权益", "WOMENS_FEDERATION")]),
        ("02", "民间纠纷与法律援助", [("001", "邻里纠纷", "COMMUNITY", "COMMUNITY", ""),
                               ("002", "债务纠纷调解", "JUDICIAL_OFFICE"),
                               ("003", "损害赔偿纠纷调解", "JUDICIAL_OFFICE"),
                               ("004", "法律援助咨询", "JUDICIAL_OFFICE"),
                               ("005", "其他民间纠纷社区调解", "COMMUNITY", "COMMUNITY", ""),
                               ("006", "其他民间纠纷人民调解", "JUDICIAL_OFFICE")]),
        ("03", "社区服务", [("001", "居住情况证明", "COMMUNITY", "COMMUNITY", ""),
                          ("002", "养老服务咨询", "COMMUNITY"),
                          ("003", "公共区域环境卫生", "COMMUNITY")]),
    ]),
]


# The item intake classifies each non-police description as (事项编码): the incident carries it,
# and under the catalogue it names the department the description's department already is (a test
# holds the two equal over the whole sample).
MATTER_CODES = {
    "商户污水直排绿化带": "01.01.004", "违法搭建杂物棚": "01.02.001", "占道经营": "01.01.001",
    "小区停水多日无人处理": "06.01.001", "楼道路灯损坏": "06.01.004", "燃气费缴费争议": "06.01.005",
    "电梯损坏无人维修": "02.01.002", "公共维修资金使用争议": "02.01.003",
    "商家缺斤少两": "03.01.003", "预付卡商家跑路": "03.01.002",
    "夜间施工扬尘": "05.01.003", "餐馆油烟扰民": "05.01.001",
    "小区公共区域卫生无人清理": "07.03.003", "咨询法律援助": "07.02.004",
    "消防通道被占用": "06.02.001", "渔船停泊纠纷": "06.03.002", "无证售卖香烟": "03.03.001",
    "妇女儿童权益咨询": "07.01.002", "企业未签劳动合同投诉": "04.02.001",
}


# Civil disputes that are not police matters, by type and the department intake gave them.
CIVIL_MATTER_CODES = {
    ("NEIGHBOUR", "COMMUNITY"): "07.02.001", ("DEBT", "JUDICIAL_OFFICE"): "07.02.002",
    ("PROPERTY_DAMAGE", "JUDICIAL_OFFICE"): "07.02.003",
    "COMMUNITY": "07.02.005", "JUDICIAL_OFFICE": "07.02.006",
}


def fmt_catalogue():
    lines = ["# proto-file: fengqiao/v1/routing.proto",
             "# proto-message: fengqiao.v1.ResponsibilityCatalogue",
             "# 新城区 responsibility catalogue (read by fengqiao/routing/responsibility_catalogue.h):",
             "# a non-police matter goes to the department owning the item its matter code names;",
             "# what no item claims goes to the fallback owner (兜底).",
             'name: "新城区 12345 派单目录 (sample)"', 'version: "2026.1"',
             'effective_date: "2026-01-01"', "fallback_department: DEPARTMENT_COMMUNITY", ""]
    for dcode, dname, classes in CATALOGUE:
        lines.append(f"domains {{\n  code: {q(dcode)} name: {q(dname)}")
        for ccode, cname, items in classes:
            lines.append(f"  classes {{\n    code: {q(dcode + '.' + ccode)} name: {q(cname)}")
            for item in items:
                code = f"{dcode}.{ccode}.{item[0]}"
                line = f"    items {{ code: {q(code)} name: {q(item[1])} department: DEPARTMENT_{item[2]}"
                if len(item) > 3:
                    line += f" handled_at: DUTY_LEVEL_{item[3]}"
                    if item[4]:
                        line += f" admission_basis: {q(item[4])}"
                lines.append(line + " }")
            lines.append("  }")
        lines.append("}")
    return "\n".join(lines) + "\n"


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/data")
    out.mkdir(parents=True, exist_ok=True)
    calendar = Path(__file__).resolve().parent.parent / "examples/data/calendar/holidays.textproto"
    holidays, workdays = load_calendar(calendar)
    rng = random.Random(SEED)
    areas, grids = build_map(rng)
    teams, members, grid_worker = build_roster(rng, areas, grids)
    header = "# Generated by tools/gen_sample_district.py (fixed seed); edit the generator, not this file.\n"
    (out / "grid_map.textproto").write_text(
        header + "# proto-file: fengqiao/v1/grid.proto\n# proto-message: fengqiao.v1.GridMap\n"
        'name: "新城 sample district"\nversion: "2026-10"\ngrids_disjoint: true\n\n'
        + "\n".join(fmt_area(a) for a in areas) + "\n", encoding="utf-8")
    days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    lines = [header.rstrip(), "# proto-file: fengqiao/v1/force.proto",
             "# proto-message: fengqiao.v1.Roster", 'name: "新城 如心共治警务站 1+4+N roster"', ""]
    for t in teams:
        lines.append(f"teams {{ id: {q(t['id'])} name: {q(t['name'])} force_type: {t['force']} "
                     f"area_code: {q(t['area'])} }}")
    for m in members:
        lines.append("members {")
        lines.append(f"  id: {q(m['id'])} name: {q(m['name'])} force_type: {m['force']}")
        lines.append(f"  team_id: {q(m['team'])} home_area_code: {q(m['home'])}")
        for s in m["skills"]:
            lines.append(f"  skills: DISPUTE_TYPE_{s}")
        for d in m["dialects"]:
            lines.append(f"  dialects: {q(d)}")
        for d, s, e in m["shifts"]:
            lines.append(f"  shifts {{ day: WEEKDAY_{days[d]} start_minute: {s} end_minute: {e} }}")
        lines.append(f"  open_cases: {m['open_cases']} capacity: {m['capacity']}")
        lines.append("}")
    (out / "roster.textproto").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "work_orders.textproto").write_text(header + WORK_ORDERS, encoding="utf-8")
    (out / "scorecard.textproto").write_text(header + SCORECARD, encoding="utf-8")
    (out / "catalogue.textproto").write_text(header + fmt_catalogue(), encoding="utf-8")
    by_month = build_incidents(rng, grids, grid_worker, holidays, workdays)
    total = 0
    for (year, month), incidents in by_month.items():
        log = {"name": f"新城 sample district, {MONTH_NAMES[month - 1]} {year}",
               "incidents": incidents}
        (out / f"incidents_{year}-{month:02d}.json").write_text(
            json.dumps(log, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        total += len(incidents)
    print(f"wrote {len(areas)} areas ({len(grids)} grids), {len(teams)} teams, "
          f"{len(members)} members, {total} incidents in {len(by_month)} months to {out}")


if __name__ == "__main__":
    main()
