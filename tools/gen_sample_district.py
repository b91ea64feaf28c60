#!/usr/bin/env python3
"""Writes the bundled sample district (examples/data/) from a fixed seed.

A fictional district modelled on the seeds (../shared/seeds/): 新城 with three streets, ten
communities and forty grids on 长峙岛-like terrain, the "1+4+N" forces of 如心共治警务站, and one
month (October 2026) of incidents whose mix follows the seeds: about a third non-police matters
diverted to departments (普陀 平安小苑: 33.5%), disputes spread over neighbour, family, labour, debt,
marriage, property damage, personal injury, noise and pets, and a few repeats of the same parties.

Standard library only, deterministic: running it twice writes the same bytes.
    /usr/bin/python3 tools/gen_sample_district.py examples/data
"""
import datetime as dt
import json
import math
import random
import sys
from pathlib import Path

SEED = 20261001
LAT0, LNG0 = 29.9300, 122.1800   # south-west corner
CELL = 0.0040                     # grid cell size in degrees (~445 m x 385 m)

STREETS = [
    ("xc-lc", "临城街道", ["金鸡社区", "海院社区", "新港社区", "合兴社区"]),
    ("xc-cz", "长峙街道", ["如心小镇社区", "长峙岛社区", "颐景园社区"]),
    ("xc-qd", "千岛街道", ["锦里社区", "柳河苑社区", "花源社区"]),
]

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
                residents = rng.randint(800, 2600)
                housing = int(residents / rng.uniform(2.4, 2.9))
                g = dict(code=gcode, name=f"{cname}第{gi + 1}网格", level="AREA_LEVEL_GRID",
                         parent=ccode,
                         box=(lat, lng, lat + CELL, lng + CELL),
                         register=dict(standard_addresses=int(housing * rng.uniform(1.02, 1.15)),
                                       actual_residents=residents, actual_housing=housing,
                                       actual_units=rng.randint(8, 90)))
                areas.append(g)
                grids.append(g)
    return areas, grids


def shift_lines(days, start, end):
    names = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    return [f"WEEKDAY_{names[d]}" for d in days], start, end


FORCES = [
    # (force type, team id, team name, count, skills, capacity, shifts (days, start, end))
    ("FORCE_TYPE_POLICE", "t-police", "如心共治警务站社区警务队", 14,
     ["NEIGHBOUR", "FAMILY", "DEBT", "PROPERTY_DAMAGE", "PERSONAL_INJURY", "TRAFFIC", "MARRIAGE"], 12,
     None),
    ("FORCE_TYPE_COMPREHENSIVE_GOVERNANCE", "t-zongzhi", "街道综治中心", 6,
     ["NEIGHBOUR", "LABOUR", "PROPERTY_SERVICE"], 8, (range(5), 510, 1050)),
    ("FORCE_TYPE_CITY_MANAGEMENT", "t-chengguan", "城管执法中队", 8, ["PROPERTY_SERVICE"], 10,
     (range(6), 480, 1080)),
    ("FORCE_TYPE_SECURITY_GUARD", "t-jinbao", "“锦保”联勤队", 12, [], 4, None),
    ("FORCE_TYPE_VOLUNTEER_POLICE", "t-yijing", "花源义警队", 16, ["NEIGHBOUR", "PET"], 2,
     (range(7), 1080, 1320)),
    ("FORCE_TYPE_LAWYER", "t-lvli", "“律”力同心工作室", 4,
     ["DEBT", "LABOUR", "PROPERTY_DAMAGE", "PERSONAL_INJURY", "SALE", "MARRIAGE"], 6,
     (range(5), 540, 1020)),
    ("FORCE_TYPE_FULL_TIME_MEDIATOR", "t-mediators", "专职调解员", 6,
     ["NEIGHBOUR", "FAMILY", "LABOUR", "DEBT", "MARRIAGE", "NOISE", "PET", "PROPERTY_DAMAGE"], 8,
     (range(6), 510, 1050)),
    ("FORCE_TYPE_BUILDING_HEAD", "t-louzhang", "党员楼栋长", 10, ["NEIGHBOUR", "PET"], 3,
     (range(7), 540, 1200)),
    ("FORCE_TYPE_PROPERTY_MANAGER", "t-wuye", "红色物业管家", 10, ["NOISE", "PROPERTY_SERVICE", "PET"], 6,
     (range(7), 480, 1200)),
    ("FORCE_TYPE_STUDENT", "t-students", "高校反诈联盟", 8, [], 0, (range(5), 840, 1200)),
    ("FORCE_TYPE_DELIVERY_RIDER", "t-riders", "外卖骑手平安群", 8, [], 0, (range(7), 600, 1320)),
    ("FORCE_TYPE_JUDICIAL_OFFICER", "t-sifa", "司法所", 3, ["DEBT", "SALE", "LABOUR"], 10,
     (range(5), 510, 1050)),
    ("FORCE_TYPE_WOMENS_FEDERATION", "t-fulian", "妇联调解室", 3, ["FAMILY", "MARRIAGE"], 6,
     (range(5), 510, 1050)),
    ("FORCE_TYPE_FOLK_MEDIATOR", "t-laoniangjiu", "“老娘舅”调解队", 5, ["NEIGHBOUR", "FAMILY", "PET"], 4,
     (range(7), 480, 1140)),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志坚海燕晓东春生金凤德胜永福"


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def build_roster(rng, areas, grids):
    streets = [a for a in areas if a["level"] == "AREA_LEVEL_STREET"]
    communities = [a for a in areas if a["level"] == "AREA_LEVEL_COMMUNITY"]
    teams, members = [], []
    n = 0

    def member(force, team, home, skills, capacity, shifts, name=None):
        nonlocal n
        n += 1
        m = dict(id=f"m-{n:04d}", name=name or person_name(rng), force=force, team=team,
                 home=home, skills=skills, capacity=capacity, shifts=shifts,
                 open_cases=rng.randint(0, max(0, capacity - 1)) if capacity else 0,
                 dialects=rng.sample(DIALECTS, rng.randint(0, 2)))
        members.append(m)
        return m

    for force, tid, tname, count, skills, capacity, shift in FORCES:
        teams.append(dict(id=tid, name=tname, force=force, area="xc"))
        for i in range(count):
            if force == "FORCE_TYPE_POLICE":
                # One community police officer (社区民警) per community, the rest at the station;
                # day and night watches.
                home = communities[i]["code"] if i < len(communities) else "xc"
                shifts = ([(d, 480, 1200) for d in range(7)] if i % 3 != 2
                          else [(d, 1200, 1920) for d in range(7)])
            else:
                pool = communities if force in ("FORCE_TYPE_BUILDING_HEAD",
                                                 "FORCE_TYPE_PROPERTY_MANAGER",
                                                 "FORCE_TYPE_VOLUNTEER_POLICE",
                                                 "FORCE_TYPE_FOLK_MEDIATOR") else streets
                home = pool[i % len(pool)]["code"]
                if force == "FORCE_TYPE_SECURITY_GUARD":
                    shifts = [(d, 0 if i % 2 else 720, 720 if i % 2 else 1440) for d in range(7)]
                else:
                    days, start, end = shift
                    shifts = [(d, start, end) for d in days]
            member(force, tid, home, skills, capacity, shifts)
    # One grid worker (网格员) per grid: the management grid (网格) of 四格融合.
    teams.append(dict(id="t-grid", name="专职网格员队伍", force="FORCE_TYPE_GRID_WORKER", area="xc"))
    grid_worker = {}
    for g in grids:
        m = member("FORCE_TYPE_GRID_WORKER", "t-grid", g["code"], ["NEIGHBOUR", "NOISE", "PET"], 3,
                   [(d, 480, 1080) for d in range(6)])
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


DISPUTE_MIX = [("NEIGHBOUR", 20), ("FAMILY", 12), ("LABOUR", 9), ("DEBT", 10), ("MARRIAGE", 6),
               ("PROPERTY_DAMAGE", 10), ("PERSONAL_INJURY", 6), ("NOISE", 13), ("PET", 6),
               ("SALE", 4), ("PROPERTY_SERVICE", 3), ("TRAFFIC", 1)]
POLICE_KIND_MIX = [("PUBLIC_ORDER", 30), ("CRIMINAL", 14), ("FRAUD", 10), ("TRAFFIC", 18),
                   ("ASSISTANCE", 22), ("FIRE_HAZARD", 6)]
NON_POLICE_MIX = [("CITY_MANAGEMENT", 34), ("HOUSING_CONSTRUCTION", 14), ("MARKET_REGULATION", 12),
                  ("LABOUR", 10), ("ENVIRONMENT", 8), ("COMMUNITY", 14), ("JUDICIAL_OFFICE", 4),
                  ("FIRE_RESCUE", 2), ("MARITIME", 1), ("TOBACCO", 1)]
CHANNEL_MIX = [("CALL_110", 52), ("HOTLINE_12345", 17), ("GRID_PATROL", 15), ("WALK_IN", 8),
               ("CHAT_GROUP", 6), ("PLATFORM_TRANSFER", 2)]
DESCRIPTIONS = {
    "NEIGHBOUR": "邻里因公共空间堆放杂物发生争执", "FAMILY": "家庭成员因赡养问题发生争吵",
    "LABOUR": "务工人员反映被拖欠工资", "DEBT": "借款到期未还引发纠纷", "MARRIAGE": "恋人分手后财物纠纷",
    "PROPERTY_DAMAGE": "楼上房屋漏水影响楼下住户", "PERSONAL_INJURY": "双方就人身损害赔偿金额发生纠纷",
    "NOISE": "楼上楼下噪音纠纷", "PET": "宠物犬未拴绳惊吓老人", "SALE": "网购商品退货纠纷",
    "PROPERTY_SERVICE": "电梯损坏无人维修", "TRAFFIC": "电动车剐蹭赔偿纠纷",
    "PUBLIC_ORDER": "夜宵摊酒后争吵", "CRIMINAL": "电动车电瓶被盗", "FRAUD": "刷单返利诈骗",
    "ASSISTANCE": "儿童走失求助", "FIRE_HAZARD": "阳台杂物着火隐患",
    "CITY_MANAGEMENT": "商户污水直排绿化带", "HOUSING_CONSTRUCTION": "违法搭建杂物棚",
    "MARKET_REGULATION": "商家缺斤少两", "ENVIRONMENT": "夜间施工扬尘", "COMMUNITY": "居住证办理咨询",
    "JUDICIAL_OFFICE": "咨询法律援助", "FIRE_RESCUE": "楼道电动车充电隐患", "MARITIME": "渔船停泊纠纷",
}


def weighted(rng, mix):
    names, weights = zip(*mix)
    return rng.choices(names, weights=weights)[0]


def build_incidents(rng, grids, grid_worker):
    tz = dt.timezone(dt.timedelta(hours=8))
    start = dt.datetime(2026, 10, 1, tzinfo=tz)
    persons = [f"p-{i:05d}" for i in range(1, 60001)]  # ~ the actual residents
    names = {}
    recent_disputes = []
    incidents = []
    total = 2140
    # Report times: a month, more in the evening (reports peak 18:00-22:00).
    hour_weights = [2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 6, 6, 6, 7, 8, 9, 10, 10, 8, 5, 3]
    times = []
    for _ in range(total):
        day = rng.randrange(31)
        hour = rng.choices(range(24), weights=hour_weights)[0]
        times.append(start + dt.timedelta(days=day, hours=hour, minutes=rng.randrange(60),
                                          seconds=rng.randrange(60)))
    times.sort()
    for i, reported in enumerate(times):
        grid = rng.choice(grids)
        lat0, lng0, lat1, lng1 = grid["box"]
        inc = dict(id=f"2026-10-{i + 1:06d}",
                   reported_at=reported.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   grid_code=grid["code"],
                   location=dict(lat_deg=round(rng.uniform(lat0 + 1e-5, lat1 - 1e-5), 6),
                                 lng_deg=round(rng.uniform(lng0 + 1e-5, lng1 - 1e-5), 6)))
        occurred = reported - dt.timedelta(minutes=rng.randint(0, 90))
        inc["occurred_at"] = occurred.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        channel = weighted(rng, CHANNEL_MIX)
        roll = rng.random()
        if roll < 0.335:
            kind = "NON_POLICE"
            dept = weighted(rng, NON_POLICE_MIX)
            inc["responsible_department"] = f"DEPARTMENT_{dept}"
            desc = DESCRIPTIONS.get(dept, "非警务事项")
            parties = 1
        elif roll < 0.335 + 0.36:
            kind = "DISPUTE"
            dtype = weighted(rng, DISPUTE_MIX)
            inc["dispute_type"] = f"DISPUTE_TYPE_{dtype}"
            desc = DESCRIPTIONS[dtype]
            parties = rng.choices([2, 3, 4, 6], weights=[80, 10, 6, 4])[0]
            base = {"DEBT": (2000, 300000), "LABOUR": (3000, 270000), "SALE": (100, 20000),
                    "PROPERTY_DAMAGE": (300, 60000), "PERSONAL_INJURY": (1000, 120000),
                    "TRAFFIC": (200, 15000), "MARRIAGE": (500, 50000)}.get(dtype)
            if base:
                lo, hi = base
                inc["amount_fen"] = int(math.exp(rng.uniform(math.log(lo), math.log(hi)))) * 100
            if dtype == "PERSONAL_INJURY" or rng.random() < 0.03:
                inc["injury"] = True
            if rng.random() < 0.03:
                inc["violence_risk"] = True
        else:
            kind = weighted(rng, POLICE_KIND_MIX)
            desc = DESCRIPTIONS[kind]
            parties = 1 if kind in ("FRAUD", "ASSISTANCE", "FIRE_HAZARD", "CRIMINAL") else 2
        inc["kind"] = f"INCIDENT_KIND_{kind}"
        inc["channel"] = f"CHANNEL_{channel}"
        if channel == "GRID_PATROL":
            inc["found_by_member_id"] = grid_worker[grid["code"]]
        # Parties: some disputes bring back parties of an earlier one (反复纠纷).
        chosen = []
        if kind == "DISPUTE" and recent_disputes and rng.random() < 0.08:
            chosen = list(rng.choice(recent_disputes))[:parties]
        while len(chosen) < parties:
            p = rng.choice(persons)
            if p not in chosen:
                chosen.append(p)
        if kind == "DISPUTE":
            recent_disputes.append(chosen)
            recent_disputes = recent_disputes[-200:]
        for p in chosen:
            names.setdefault(p, person_name(rng))
        inc["parties"] = [dict(person_id=p, name=names[p],
                               role="PARTY_ROLE_COMPLAINANT" if k == 0 else "PARTY_ROLE_RESPONDENT",
                               phone=f"13{rng.randrange(10**9):09d}")
                          for k, p in enumerate(chosen)]
        tags = []
        if grid["parent"].startswith("xc-qd-c3") and rng.random() < 0.3:
            tags.append("campus")
        if rng.random() < 0.08:
            tags.append("elderly")
        if tags:
            inc["tags"] = tags
        inc["description"] = desc
        incidents.append(inc)
    return incidents


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


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/data")
    out.mkdir(parents=True, exist_ok=True)
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
    incidents = build_incidents(rng, grids, grid_worker)
    log = {"name": "新城 sample district, October 2026", "incidents": incidents}
    (out / "incidents_2026-10.json").write_text(
        json.dumps(log, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(areas)} areas ({len(grids)} grids), {len(teams)} teams, "
          f"{len(members)} members, {len(incidents)} incidents to {out}")


if __name__ == "__main__":
    main()
