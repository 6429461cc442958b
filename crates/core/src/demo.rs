//! The seeded demo data set: a plausible Chinese B2B supplier with about 2,000 customers,
//! three years of order lines, contacts, visits, complaints and a natural-gas satisfaction
//! survey (SPEC §5 worked example), so that every page has something to show.
//!
//! [`generate`] is deterministic: one `ChaCha8Rng` seeded from [`DemoParams::seed`] drives
//! every choice, records are built in a fixed order and no hash map is ever iterated, so
//! the same parameters give the same dataset (and a byte-identical backup). All timestamps
//! are derived from the record dates. [`generate_large`] makes big, plain datasets for
//! benchmarks (100k customers, 1M order lines).
//!
//! The shape of the data, so that the analyses find something:
//! - customer size is lognormal (σ ≈ 1.35), and both the number of lines and the amount per
//!   line grow with it, so that ABC gives roughly the 20/80 rule;
//! - customers follow a pattern: steady, growing, declining, churned (stop buying; some are
//!   then terminated with a reason) or churned-and-returned; 40% were acquired within the
//!   three-year window;
//! - monthly seasonality: a dip around Chinese New Year (January, February) and a peak
//!   before the year end;
//! - gross profit 10-35% of the amount; about 1% of the lines are returns (negative).

#[cfg(test)]
mod tests;

use crate::model::{
    AttributeGroup, BuyingRole, CitySize, Complaint, ComplaintAction, ComplaintEvent, Contact, CreditRating, Customer, CustomerKind,
    CustomerStatus, Dataset, Date, EconomicZone, IndicatorNode, Interaction, InteractionKind, InteractionStatus, Language,
    KeyAccountProfile, OrderLine, Region, RelationshipScores, Scale, Severity, Survey,
    SurveyResponse, Timestamp, Validity, EventTime, Handling,
};
use crate::service::complaints::ComplaintState;
use chrono::{Datelike, Days, Months, NaiveTime, TimeDelta};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashSet};

/// Parameters of [`generate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoParams {
    /// Seed of the random generator.
    pub seed: u64,
    /// Last day of data; order lines cover the three years up to it. Clamped to
    /// 2000-01-01..=2199-12-31.
    pub end: Date,
    /// Number of customers; order lines, contacts, interactions and complaints scale with
    /// it (60,000 lines, 800 interactions, 150 complaints and 400 responses at 2,000).
    pub customers: usize,
}

impl Default for DemoParams {
    fn default() -> Self {
        DemoParams {
            seed: 20240601,
            end: Date::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
            customers: 2000,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tables

struct Prov {
    name: &'static str,
    zone: EconomicZone,
    cities: &'static [(&'static str, CitySize)],
}

use CitySize::{Large as L, Medium as M, Megacity as XL, Small as S};
use EconomicZone::{Central as ZC, Eastern as ZE, Western as ZW};

/// Regions with their share of customers and their provinces; the economic zone follows
/// the usual 东部 / 中部 / 西部 division (西部大开发 includes 内蒙古 and 广西).
const GEO: &[(Region, f64, &[Prov])] = &[
    (Region::Northeast, 0.07, &[
        Prov { name: "辽宁省", zone: ZE, cities: &[("沈阳市", XL), ("大连市", L), ("鞍山市", M)] },
        Prov { name: "吉林省", zone: ZC, cities: &[("长春市", L), ("吉林市", M)] },
        Prov { name: "黑龙江省", zone: ZC, cities: &[("哈尔滨市", L), ("大庆市", M)] },
    ]),
    (Region::North, 0.15, &[
        Prov { name: "北京市", zone: ZE, cities: &[("北京市", XL)] },
        Prov { name: "天津市", zone: ZE, cities: &[("天津市", XL)] },
        Prov { name: "河北省", zone: ZE, cities: &[("石家庄市", L), ("唐山市", L), ("保定市", M)] },
        Prov { name: "山西省", zone: ZC, cities: &[("太原市", L), ("大同市", M)] },
        Prov { name: "内蒙古自治区", zone: ZW, cities: &[("呼和浩特市", M), ("包头市", M)] },
    ]),
    (Region::East, 0.32, &[
        Prov { name: "上海市", zone: ZE, cities: &[("上海市", XL)] },
        Prov { name: "江苏省", zone: ZE, cities: &[("南京市", XL), ("苏州市", XL), ("无锡市", L), ("常州市", L), ("南通市", L)] },
        Prov { name: "浙江省", zone: ZE, cities: &[("杭州市", XL), ("宁波市", L), ("温州市", L), ("绍兴市", M)] },
        Prov { name: "安徽省", zone: ZC, cities: &[("合肥市", L), ("芜湖市", M)] },
        Prov { name: "福建省", zone: ZE, cities: &[("福州市", L), ("厦门市", L), ("泉州市", M)] },
        Prov { name: "江西省", zone: ZC, cities: &[("南昌市", L), ("赣州市", M)] },
        Prov { name: "山东省", zone: ZE, cities: &[("济南市", L), ("青岛市", L), ("烟台市", M), ("潍坊市", M)] },
    ]),
    (Region::Central, 0.12, &[
        Prov { name: "河南省", zone: ZC, cities: &[("郑州市", XL), ("洛阳市", L)] },
        Prov { name: "湖北省", zone: ZC, cities: &[("武汉市", XL), ("宜昌市", M), ("襄阳市", M)] },
        Prov { name: "湖南省", zone: ZC, cities: &[("长沙市", L), ("株洲市", M)] },
    ]),
    (Region::South, 0.18, &[
        Prov { name: "广东省", zone: ZE, cities: &[("广州市", XL), ("深圳市", XL), ("东莞市", L), ("佛山市", L), ("中山市", M)] },
        Prov { name: "广西壮族自治区", zone: ZW, cities: &[("南宁市", L), ("柳州市", M)] },
        Prov { name: "海南省", zone: ZE, cities: &[("海口市", M)] },
    ]),
    (Region::Northwest, 0.06, &[
        Prov { name: "陕西省", zone: ZW, cities: &[("西安市", XL), ("宝鸡市", M)] },
        Prov { name: "甘肃省", zone: ZW, cities: &[("兰州市", L), ("天水市", S)] },
        Prov { name: "宁夏回族自治区", zone: ZW, cities: &[("银川市", M)] },
        Prov { name: "青海省", zone: ZW, cities: &[("西宁市", M)] },
        Prov { name: "新疆维吾尔自治区", zone: ZW, cities: &[("乌鲁木齐市", L), ("克拉玛依市", S)] },
    ]),
    (Region::Southwest, 0.10, &[
        Prov { name: "重庆市", zone: ZW, cities: &[("重庆市", XL)] },
        Prov { name: "四川省", zone: ZW, cities: &[("成都市", XL), ("绵阳市", M), ("宜宾市", M)] },
        Prov { name: "贵州省", zone: ZW, cities: &[("贵阳市", L), ("遵义市", M)] },
        Prov { name: "云南省", zone: ZW, cities: &[("昆明市", L), ("曲靖市", S)] },
        Prov { name: "西藏自治区", zone: ZW, cities: &[("拉萨市", S)] },
    ]),
];

/// A product: name, category, list price (yuan per unit), typical gross margin.
type Product = (&'static str, &'static str, f64, f64);

struct Industry {
    name: &'static str,
    weight: f64,
    words: &'static [&'static str],
    products: &'static [Product],
    product_types: &'static [&'static str],
    conditions: &'static [&'static str],
}

const INDUSTRIES: &[Industry] = &[
    Industry { name: "化工", weight: 0.13, words: &["化工", "新材料", "精细化工"],
        products: &[("环氧树脂", "化工原料", 23.5, 0.18), ("工业溶剂", "化工原料", 9.8, 0.14), ("表面活性剂", "助剂", 16.0, 0.24)],
        product_types: &["基础化学品", "精细化学品"], conditions: &["连续生产", "高温高压"] },
    Industry { name: "机械制造", weight: 0.16, words: &["精密机械", "机械制造", "重工"],
        products: &[("数控刀具", "机电配件", 380.0, 0.30), ("液压阀组", "机电配件", 2600.0, 0.22), ("轴承", "机电配件", 145.0, 0.20)],
        product_types: &["通用设备", "专用设备"], conditions: &["间歇生产", "重载"] },
    Industry { name: "电子", weight: 0.12, words: &["电子科技", "微电子", "光电"],
        products: &[("贴片电容", "电子元器件", 0.8, 0.26), ("连接器", "电子元器件", 6.5, 0.28), ("传感器", "电子元器件", 85.0, 0.32)],
        product_types: &["消费电子", "工业电子"], conditions: &["洁净车间", "连续生产"] },
    Industry { name: "食品饮料", weight: 0.09, words: &["食品", "饮品", "乳业"],
        products: &[("食品级包装膜", "包装材料", 28.0, 0.16), ("食品添加剂", "助剂", 42.0, 0.25)],
        product_types: &["快消品", "原料加工"], conditions: &["洁净车间", "季节性生产"] },
    Industry { name: "纺织服装", weight: 0.08, words: &["纺织", "服饰", "印染"],
        products: &[("涤纶长丝", "纺织原料", 11.5, 0.12), ("染料助剂", "助剂", 36.0, 0.22)],
        product_types: &["面料", "成衣"], conditions: &["连续生产", "季节性生产"] },
    Industry { name: "医药", weight: 0.08, words: &["医药", "生物制药", "药业"],
        products: &[("医用级原料", "化工原料", 120.0, 0.33), ("无菌包装", "包装材料", 3.2, 0.27)],
        product_types: &["化学药", "生物药"], conditions: &["洁净车间", "GMP车间"] },
    Industry { name: "建材", weight: 0.10, words: &["建材", "新型建材", "水泥"],
        products: &[("防水涂料", "建筑材料", 18.0, 0.19), ("保温材料", "建筑材料", 65.0, 0.17), ("混凝土外加剂", "助剂", 4.6, 0.21)],
        product_types: &["结构材料", "装饰材料"], conditions: &["露天作业", "间歇生产"] },
    Industry { name: "汽车零部件", weight: 0.11, words: &["汽车零部件", "汽配", "车桥"],
        products: &[("密封件", "机电配件", 12.0, 0.23), ("制动片", "机电配件", 48.0, 0.21), ("线束", "电子元器件", 95.0, 0.18)],
        product_types: &["整车配套", "售后市场"], conditions: &["连续生产", "重载"] },
    Industry { name: "能源", weight: 0.07, words: &["能源", "燃气", "电力设备"],
        products: &[("燃气调压器", "机电配件", 1800.0, 0.26), ("工业阀门", "机电配件", 950.0, 0.24)],
        product_types: &["燃气", "电力"], conditions: &["高温高压", "连续生产"] },
    Industry { name: "物流", weight: 0.06, words: &["物流", "供应链", "储运"],
        products: &[("塑料托盘", "包装材料", 85.0, 0.15), ("缠绕膜", "包装材料", 14.0, 0.13)],
        product_types: &["仓储", "运输"], conditions: &["露天作业", "间歇生产"] },
];

/// Products every industry buys.
const GENERAL_PRODUCTS: &[Product] = &[
    ("工业润滑油", "辅料耗材", 32.0, 0.22),
    ("劳保用品", "辅料耗材", 25.0, 0.30),
    ("检测服务", "技术服务", 1500.0, 0.35),
];

const BRAND1: &[&str] = &["恒", "华", "鑫", "泰", "宏", "盛", "达", "利", "源", "联", "信", "诚", "德", "永", "嘉", "通", "新", "天", "中", "金", "力", "博", "瑞", "荣"];
const BRAND2: &[&str] = &["瑞", "昌", "兴", "达", "丰", "泰", "宇", "安", "康", "润", "海", "鼎", "远", "辉", "峰", "凯", "捷", "晟", "航", "源"];
const SUFFIX_END: &[&str] = &["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"];
const SUFFIX_TRADE: &[&str] = &["贸易有限公司", "商贸有限公司", "供应链有限公司", "实业有限公司"];

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高", "梁", "郑", "谢", "宋", "唐", "韩", "冯", "曹"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "强", "丽", "涛", "明", "超", "霞", "平", "刚", "婷", "建华", "志强", "晓燕", "海涛", "春梅", "立新", "文博", "子涵", "思远", "国栋"];

/// Account managers 客户经理, each responsible for one region (by index into [`GEO`]).
const OWNERS: &[(&str, usize)] = &[
    ("赵立国", 0), ("孙晓梅", 0),
    ("王建华", 1), ("李秀英", 1), ("马超", 1),
    ("张伟", 2), ("陈静", 2), ("周杰", 2), ("吴霞", 2),
    ("刘洋", 3), ("胡军", 3),
    ("黄勇", 4), ("林婷", 4), ("郭华", 4),
    ("杨磊", 5),
    ("徐斌", 6), ("唐丽", 6),
];

const TERMINATION_REASONS: &[&str] = &[
    "连续两年亏损，经多次改进仍无法盈利",
    "信用恶化，多次逾期付款造成损失",
    "订单已降为零，客户转向竞争对手",
    "客户企业破产清算",
    "客户迁出我方服务区域",
    "环保政策限制，依法停止供货",
];

/// Monthly seasonality, January first: a Chinese New Year dip, a peak before year end.
const SEASON: [f64; 12] = [0.75, 0.55, 1.0, 1.0, 1.05, 1.1, 0.95, 0.95, 1.1, 1.0, 1.2, 1.35];

// ---------------------------------------------------------------------------------------
// Random helpers

struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn new(seed: u64) -> Self {
        Gen { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// Uniform in [0, 1).
    fn f(&mut self) -> f64 {
        self.rng.gen::<f64>()
    }

    /// Uniform integer in [lo, hi]; `lo` when the range is empty.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.gen_range(lo..=hi)
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        let i = self.int(0, xs.len() as i64 - 1) as usize;
        &xs[i.min(xs.len().saturating_sub(1))]
    }

    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f();
        let u2 = self.f();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    fn name(&mut self) -> String {
        format!("{}{}", self.pick(SURNAMES), self.pick(GIVEN))
    }

    fn date_between(&mut self, a: Date, b: Date) -> Date {
        if b <= a {
            return a;
        }
        let days = (b - a).num_days();
        a.checked_add_days(Days::new(self.int(0, days) as u64)).unwrap_or(a)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A timestamp on `date` at `h:m` UTC (hours wrap into the day).
fn at(date: Date, h: u32, m: u32) -> Timestamp {
    let t = NaiveTime::from_hms_opt(h % 24, m % 60, 0).unwrap_or(NaiveTime::MIN);
    date.and_time(t).and_utc()
}

fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn add_days(d: Date, n: i64) -> Date {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

fn month_start(d: Date) -> Date {
    d.with_day(1).unwrap_or(d)
}

fn month_end(d: Date) -> Date {
    month_start(d)
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// The window of order data: the three years ending at `end`.
fn window(end: Date) -> (Date, Date) {
    let start = end.checked_sub_months(Months::new(36)).map(|d| add_days(d, 1)).unwrap_or(end);
    (start, end)
}

fn clamp_end(end: Date) -> Date {
    end.clamp(ymd(2000, 1, 1), ymd(2199, 12, 31))
}

// ---------------------------------------------------------------------------------------
// Customers

/// How a customer's purchases develop over the window.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    Steady,
    Growing,
    Declining,
    /// Stops buying from this month index on.
    Churned { stop: usize },
    /// Pauses in the months `from..to`.
    Returned { from: usize, to: usize },
}

/// Facts about a generated customer that the other generators need.
struct Profile {
    size: f64,
    industry: usize,
    pattern: Pattern,
    contacts: std::ops::Range<usize>,
}

fn company_name(g: &mut Gen, city: &str, industry: &Industry, kind: CustomerKind, used: &mut HashSet<String>) -> String {
    let city = city.trim_end_matches('市');
    let mut name = String::new();
    for attempt in 0..30 {
        let brand = format!("{}{}", g.pick(BRAND1), g.pick(BRAND2));
        let word = g.pick(industry.words);
        let suffix = if kind == CustomerKind::EndCustomer { g.pick(SUFFIX_END) } else { g.pick(SUFFIX_TRADE) };
        name = if kind == CustomerKind::EndCustomer || attempt % 2 == 1 {
            format!("{city}{brand}{word}{suffix}")
        } else {
            format!("{city}{brand}{suffix}")
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
    // Thirty collisions in a row only happen with absurd customer counts per city; a
    // branch suffix keeps the name unique enough.
    name.push_str("（分公司）");
    used.insert(name.clone());
    name
}

fn size_band(size: f64) -> &'static str {
    match size {
        s if s < 0.3 => "50人以下",
        s if s < 0.8 => "50-200人",
        s if s < 2.0 => "200-500人",
        s if s < 5.0 => "500-1000人",
        s if s < 15.0 => "1000-5000人",
        _ => "5000人以上",
    }
}

fn key_account_profile(g: &mut Gen, industry: &Industry, size: f64) -> KeyAccountProfile {
    let share = if size > 8.0 { "行业前三，市场份额约15%，新产线在建" } else { "区域龙头，份额稳定，计划扩产" };
    KeyAccountProfile {
        market_share_potential: share.into(),
        business_philosophy: g.pick(&["重视质量与长期合作", "成本导向，注重性价比", "技术驱动，追求创新"]).to_string(),
        ownership: g.pick(&["民营", "国有控股", "中外合资", "外商独资"]).to_string(),
        scale: size_band(size).to_string(),
        financial_status: g.pick(&["良好，回款及时", "稳健，账期60天", "一般，偶有延期付款"]).to_string(),
        image: g.pick(&["行业口碑好，品牌知名度高", "当地龙头企业", "专精特新企业"]).to_string(),
        staff_quality: g.pick(&["技术团队专业，沟通顺畅", "采购团队年轻，决策快", "管理规范"]).to_string(),
        business_relationship: g.pick(&["合作五年以上，我方为主供应商", "我方为第二供应商，份额约30%", "年度框架协议"]).to_string(),
        credit: g.pick(&["信用良好", "授信额度500万元", "需关注应收账款"]).to_string(),
        revenue_status: format!("{}行业，年营收增长{}%", industry.name, g.int(3, 25)),
        competitor_relationship: g.pick(&["同时向两家竞争对手采购", "竞争对手多次低价接触", "与竞争对手无长期合同"]).to_string(),
        open_problems: g.pick(&["交期要求高，旺季供货紧张", "价格压力大", "技术服务响应需加快", "暂无"]).to_string(),
    }
}

fn pattern(g: &mut Gen, months: usize, new_customer: bool) -> Pattern {
    if new_customer {
        return if g.chance(0.35) { Pattern::Growing } else { Pattern::Steady };
    }
    let last = months.saturating_sub(1) as i64;
    match g.weighted(&[0.60, 0.12, 0.08, 0.13, 0.07]) {
        0 => Pattern::Steady,
        1 => Pattern::Growing,
        2 => Pattern::Declining,
        3 => Pattern::Churned { stop: g.int(4, last - 4).max(0) as usize },
        _ => {
            let from = g.int(3, last - 14).max(0) as usize;
            Pattern::Returned { from, to: from + g.int(5, 10) as usize }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The generator

/// Generates the demo dataset (see the module docs). Deterministic in `p`.
pub fn generate(p: &DemoParams) -> Dataset {
    let mut g = Gen::new(p.seed);
    let end = clamp_end(p.end);
    let (start, _) = window(end);
    let n = p.customers;
    let scale = n as f64 / 2000.0;

    let (customers, mut profiles) = gen_customers(&mut g, n, start, end);
    let contacts = gen_contacts(&mut g, &customers, &mut profiles);
    let orders = gen_orders(&mut g, &customers, &profiles, start, end, (60_000.0 * scale).round() as usize);
    let mut interactions = gen_interactions(&mut g, &customers, &profiles, &contacts, start, end, (800.0 * scale).round() as usize);
    let complaints = gen_complaints(&mut g, p.seed, &customers, &profiles, end, (150.0 * scale).round() as usize);
    let survey = gas_survey(end);
    let responses = gen_responses(&mut g, &customers, &survey, end, (400.0 * scale).round() as usize);

    // The visit plan and the other referrers draw from their own stream, so the records
    // above stay as they were before visits were planned.
    let mut v = Gen::new(p.seed ^ VISIT_STREAM);
    let mut customers = customers;
    gen_referrers(&mut v, &mut customers, &contacts);
    gen_visit_plan(&mut v, &customers, &contacts, end, &mut interactions);

    // The CCSI survey with its path model draws from a stream of its own, so the records
    // above stay as they were before it was added.
    let ccsi = ccsi_survey(end);
    let mut responses = responses;
    responses.extend(gen_ccsi_responses(&mut Gen::new(p.seed ^ CCSI_STREAM), &customers, &ccsi, end, (300.0 * scale).round() as usize));

    Dataset { customers, contacts, orders, interactions, complaints, surveys: vec![survey, ccsi], responses }
}

fn gen_customers(g: &mut Gen, n: usize, start: Date, end: Date) -> (Vec<Customer>, Vec<Profile>) {
    let months = months_of(start, end).len();
    let region_weights: Vec<f64> = GEO.iter().map(|r| r.1).collect();
    let industry_weights: Vec<f64> = INDUSTRIES.iter().map(|i| i.weight).collect();
    let mut used = HashSet::new();
    let mut customers = Vec::with_capacity(n);
    let mut profiles = Vec::with_capacity(n);
    for i in 0..n {
        let r = g.weighted(&region_weights);
        let (region, _, provinces) = &GEO[r];
        let prov = g.pick(provinces);
        let &(city, city_size) = g.pick(prov.cities);
        let ind = g.weighted(&industry_weights);
        let industry = &INDUSTRIES[ind];
        let kind = match g.weighted(&[0.75, 0.15, 0.10]) {
            0 => CustomerKind::EndCustomer,
            1 => CustomerKind::Dealer,
            _ => CustomerKind::Distributor,
        };
        let size = (1.35 * g.normal()).exp();
        let new_customer = g.chance(0.4);
        let since = if new_customer {
            g.date_between(start, add_days(end, -60))
        } else {
            add_days(start, -g.int(30, 3650))
        };
        let pattern = pattern(g, months, new_customer);
        let owners: Vec<&str> = OWNERS.iter().filter(|o| o.1 == r).map(|o| o.0).collect();
        let owner = g.pick(&owners).to_string();
        let terminated = matches!(pattern, Pattern::Churned { .. }) && g.chance(0.35);
        let credit = if terminated {
            CreditRating::ALL[g.int(4, 6) as usize]
        } else {
            CreditRating::ALL[g.weighted(&[0.08, 0.17, 0.30, 0.25, 0.12, 0.06, 0.02])]
        };
        let name = company_name(g, city, industry, kind, &mut used);
        let mut tags = Vec::new();
        if new_customer {
            tags.push("新客户".to_string());
        }
        if g.chance(0.1) {
            tags.push("出口型".to_string());
        }
        if g.chance(0.15) {
            tags.push("价格敏感".to_string());
        }
        let mut attributes = BTreeMap::new();
        let usage = if size > 2.0 { "frequent" } else if g.chance(0.7) { "occasional" } else { "frequent" };
        attributes.insert("usage_rate".to_string(), usage.to_string());
        attributes.insert("benefit".to_string(), g.pick(&["quality", "service", "economy"]).to_string());
        let user_status = match (new_customer, pattern) {
            (true, _) => "first_time",
            (_, Pattern::Churned { .. }) => "former",
            _ => "regular",
        };
        attributes.insert("user_status".to_string(), user_status.to_string());
        let loyalty = ["none", "some", "strong", "very_strong"][g.weighted(&[0.15, 0.45, 0.3, 0.1])];
        attributes.insert("brand_loyalty".to_string(), loyalty.to_string());
        let attitude = ["enthusiastic", "positive", "indifferent", "negative", "hostile"][g.weighted(&[0.15, 0.5, 0.25, 0.08, 0.02])];
        attributes.insert("attitude".to_string(), attitude.to_string());
        attributes.insert("working_conditions".to_string(), g.pick(industry.conditions).to_string());
        attributes.insert("product_type".to_string(), g.pick(industry.product_types).to_string());
        let relationship = if g.chance(0.2 + 0.3 * (size / 3.0).min(1.0)) {
            let value = (1.0 + size.ln().max(-1.0) + 1.5 + g.normal() * 0.6).round().clamp(1.0, 5.0) as u8;
            Some(RelationshipScores { common_interest: g.int(1, 5) as u8, relationship_value: value })
        } else {
            None
        };
        let referred_by = (i > 10 && g.chance(0.08)).then(|| format!("C{:06}", g.int(1, i as i64)));
        let notes = if g.chance(0.1) {
            g.pick(&["年底集中采购，需提前备货", "付款需走集团审批流程", "对交期敏感，优先安排发货", "有意扩大合作品类"]).to_string()
        } else {
            String::new()
        };
        let (status, termination_reason) = if terminated {
            (CustomerStatus::Terminated, g.pick(TERMINATION_REASONS).to_string())
        } else {
            (CustomerStatus::Active, String::new())
        };
        let created = since.max(ymd(2015, 1, 1)).min(end);
        let created_at = at(created, 1 + (i % 8) as u32, (i % 60) as u32);
        let updated_at = at(g.date_between(created, end), 9, (i % 60) as u32).max(created_at);
        customers.push(Customer {
            id: format!("C{:06}", i + 1),
            code: format!("KH{:05}", i + 1),
            name,
            kind,
            industry: industry.name.to_string(),
            region: Some(*region),
            province: prov.name.to_string(),
            city: city.to_string(),
            city_size: Some(city_size),
            economic_zone: Some(prov.zone),
            size: size_band(size).to_string(),
            owner,
            credit_rating: Some(credit),
            status,
            termination_reason,
            since: Some(since),
            tags,
            notes,
            referred_by,
            referred_by_contact: None,
            referred_by_name: String::new(),
            key_account: KeyAccountProfile::default(),
            attributes,
            relationship,
            created_at,
            updated_at,
        });
        profiles.push(Profile { size, industry: ind, pattern, contacts: 0..0 });
    }
    // The largest tenth are key accounts 大客户: profile filled and tagged.
    let mut sizes: Vec<f64> = profiles.iter().map(|p| p.size).collect();
    sizes.sort_by(|a, b| b.total_cmp(a));
    let threshold = sizes.get(n / 10).copied().unwrap_or(f64::INFINITY);
    for (c, pr) in customers.iter_mut().zip(&profiles) {
        if pr.size > threshold {
            c.key_account = key_account_profile(g, &INDUSTRIES[pr.industry], pr.size);
            c.tags.insert(0, "重点客户".to_string());
        }
    }
    (customers, profiles)
}

fn gen_contacts(g: &mut Gen, customers: &[Customer], profiles: &mut [Profile]) -> Vec<Contact> {
    const TITLES: &[(BuyingRole, &str)] = &[
        (BuyingRole::Decider, "总经理"),
        (BuyingRole::Buyer, "采购经理"),
        (BuyingRole::User, "生产部长"),
        (BuyingRole::Influencer, "技术总监"),
        (BuyingRole::Analyst, "质量工程师"),
        (BuyingRole::Gatekeeper, "总经理助理"),
        (BuyingRole::Initiator, "设备主管"),
    ];
    let mut out = Vec::new();
    for (c, pr) in customers.iter().zip(profiles.iter_mut()) {
        let extra = if pr.size > 2.0 { 1 } else { 0 };
        let n = (1 + g.weighted(&[0.35, 0.35, 0.2, 0.1]) + extra).min(4);
        let first = out.len();
        for k in 0..n {
            let (role, title) = if k == 0 { TITLES[g.int(0, 1) as usize] } else { *g.pick(&TITLES[2..]) };
            let mut roles = vec![role];
            if g.chance(0.25) {
                let other = g.pick(&BuyingRole::ALL);
                if *other != role {
                    roles.push(*other);
                }
            }
            let seq = out.len() + 1;
            let phone = format!("1{}{:09}", g.pick(&[3, 5, 7, 8, 9]), g.int(0, 999_999_999));
            let email = if g.chance(0.6) { format!("contact{seq:05}@{}.example.cn", c.code.to_lowercase()) } else { String::new() };
            out.push(Contact {
                id: format!("P{seq:06}"),
                customer_id: c.id.clone(),
                name: g.name(),
                title: title.to_string(),
                phone,
                email,
                roles,
                notes: String::new(),
                created_at: c.created_at,
                updated_at: c.created_at,
            });
        }
        pr.contacts = first..out.len();
    }
    out
}

/// The months overlapping [start, end], as their first days.
fn months_of(start: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut m = month_start(start);
    while m <= end {
        out.push(m);
        match m.checked_add_months(Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    out
}

/// A line before ids and order numbers are assigned.
struct RawLine {
    customer: u32,
    order: u32,
    date: Date,
    product: Product,
    amount: f64,
    profit: f64,
    quantity: f64,
    channel: &'static str,
    late_edit: bool,
}

fn gen_orders(g: &mut Gen, customers: &[Customer], profiles: &[Profile], start: Date, end: Date, target: usize) -> Vec<OrderLine> {
    let months = months_of(start, end);
    let m_count = months.len().max(1);
    // The active days of each (customer, month) and the relative intensity.
    let activity = |ci: usize, mi: usize| -> (f64, Date, Date) {
        let c = &customers[ci];
        let pr = &profiles[ci];
        let m = months[mi];
        let lo = m.max(start).max(c.since.unwrap_or(start));
        let hi = month_end(m).min(end);
        if hi < lo {
            return (0.0, lo, hi);
        }
        let t = mi as f64 / m_count as f64;
        let trend = match pr.pattern {
            Pattern::Steady => 1.0,
            Pattern::Growing => 0.4 + 1.2 * t,
            Pattern::Declining => 1.4 - 1.0 * t,
            Pattern::Churned { stop } if mi >= stop => 0.0,
            Pattern::Returned { from, to } if mi >= from && mi < to => 0.0,
            Pattern::Churned { .. } | Pattern::Returned { .. } => 1.0,
        };
        let days_in_month = (month_end(m) - m).num_days() as f64 + 1.0;
        let share = ((hi - lo).num_days() as f64 + 1.0) / days_in_month;
        let season = SEASON[(m.month0() as usize).min(11)];
        (trend * season * share, lo, hi)
    };
    let rate: Vec<f64> = profiles.iter().map(|p| p.size.powf(0.55)).collect();
    let mut total = 0.0;
    for (ci, r) in rate.iter().enumerate() {
        for mi in 0..months.len() {
            total += r * activity(ci, mi).0;
        }
    }
    let k = if total > 0.0 { target as f64 / total } else { 0.0 };

    let mut raw: Vec<RawLine> = Vec::with_capacity(target + target / 10);
    let mut order_count = 0u32;
    for ci in 0..customers.len() {
        let c = &customers[ci];
        let pr = &profiles[ci];
        let industry = &INDUSTRIES[pr.industry];
        let discount = 1.0 - 0.1 * (pr.size / 10.0).min(1.0);
        let channel = match c.kind {
            CustomerKind::EndCustomer => "直销",
            CustomerKind::Dealer => "经销",
            CustomerKind::Distributor => "分销",
        };
        let online = g.chance(0.1);
        for mi in 0..months.len() {
            let (a, lo, hi) = activity(ci, mi);
            if a <= 0.0 {
                continue;
            }
            let expected = k * rate[ci] * a * (0.3 * g.normal()).exp();
            let mut lines = (expected + g.f()).floor() as usize;
            while lines > 0 {
                let in_order = (1 + g.weighted(&[0.45, 0.3, 0.15, 0.1])).min(lines);
                lines -= in_order;
                let date = g.date_between(lo, hi);
                let order = order_count;
                order_count += 1;
                for _ in 0..in_order {
                    let product = if g.chance(0.75) { *g.pick(industry.products) } else { *g.pick(GENERAL_PRODUCTS) };
                    let (_, _, list_price, margin) = product;
                    let unit = round2(list_price * discount);
                    let wanted = 5200.0 * pr.size.powf(0.45) * (0.6 * g.normal()).exp();
                    let mut quantity = (wanted / unit).round().max(1.0);
                    let mut amount = round2(quantity * unit);
                    let m = (margin * (1.0 + 0.25 * g.normal())).clamp(0.10, 0.35);
                    let mut profit = round2(amount * m);
                    if g.chance(0.01) {
                        // A return: a credit note for part of an earlier delivery.
                        quantity = -(quantity / 4.0).ceil();
                        amount = round2(quantity * unit);
                        profit = round2(amount * m);
                    }
                    let channel = if online { "电商平台" } else { channel };
                    raw.push(RawLine {
                        customer: ci as u32,
                        order,
                        date,
                        product,
                        amount,
                        profit,
                        quantity,
                        channel,
                        late_edit: g.chance(0.02),
                    });
                }
            }
        }
    }
    // Chronological ids and order numbers; the sort is stable, so lines of one order stay
    // together and in generation order.
    raw.sort_by_key(|l| (l.date, l.order));
    let mut order_no = vec![0u32; order_count as usize];
    let mut next_no = 0u32;
    let mut out = Vec::with_capacity(raw.len());
    for (i, l) in raw.into_iter().enumerate() {
        let no = &mut order_no[l.order as usize];
        if *no == 0 {
            next_no += 1;
            *no = next_no;
        }
        let created_at = at(l.date, 1 + (i % 9) as u32, (i % 60) as u32);
        let updated_at = if l.late_edit { at(add_days(l.date, 3).min(end), 8, 0).max(created_at) } else { created_at };
        out.push(OrderLine {
            id: format!("O{:06}", i + 1),
            customer_id: customers[l.customer as usize].id.clone(),
            order_no: format!("SO{:07}", *no),
            date: l.date,
            amount: l.amount,
            profit: Some(l.profit),
            product: l.product.0.to_string(),
            category: l.product.1.to_string(),
            quantity: Some(l.quantity),
            channel: l.channel.to_string(),
            created_at,
            updated_at,
        });
    }
    out
}

/// Picks a customer with probability growing with size, among those acquired by `by`.
fn pick_customer(g: &mut Gen, customers: &[Customer], profiles: &[Profile], by: Date) -> Option<usize> {
    for _ in 0..50 {
        let i = g.int(0, customers.len() as i64 - 1) as usize;
        let c = customers.get(i)?;
        let w = (profiles[i].size.sqrt() / 3.0).clamp(0.15, 1.0);
        if c.since.is_none_or(|s| s <= by) && c.status == CustomerStatus::Active && g.chance(w) {
            return Some(i);
        }
    }
    customers.iter().position(|c| c.since.is_none_or(|s| s <= by))
}

fn gen_interactions(
    g: &mut Gen,
    customers: &[Customer],
    profiles: &[Profile],
    contacts: &[Contact],
    start: Date,
    end: Date,
    n: usize,
) -> Vec<Interaction> {
    const PURPOSES: &[(&str, &str)] = &[
        ("新品推介", "客户新建产线，需求增加"),
        ("年度合同续签", "现合同年底到期"),
        ("回款沟通", "有一笔货款逾期30天"),
        ("技术交流", "客户反映使用中的工艺问题"),
        ("投诉回访", "上月投诉已处理，了解满意程度"),
        ("需求调研", "季度例行拜访"),
        ("节日问候", "维护关系，每月一卡"),
        ("采购量下降原因了解", "近三个月采购量明显下降"),
    ];
    const OUTCOMES: &[&str] = &["客户同意试用新品", "达成续签意向", "约定下月回款", "问题已记录，待技术部答复", "客户满意，表示继续合作", "了解到竞争对手报价更低"];
    const NEXT: &[&str] = &["寄送样品", "提交报价单", "安排技术人员上门", "跟进回款", "发送合同草稿", "邀请参加展会"];
    let recent = add_days(end, -365).max(start);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let date = if g.chance(0.7) { g.date_between(recent, end) } else { g.date_between(start, end) };
        let Some(ci) = pick_customer(g, customers, profiles, date) else { break };
        let c = &customers[ci];
        let date = date.max(c.since.unwrap_or(date));
        let kind = InteractionKind::ALL[g.weighted(&[0.45, 0.3, 0.1, 0.1, 0.05])];
        let method = match kind {
            InteractionKind::Visit => "上门拜访",
            InteractionKind::Phone => "电话沟通",
            InteractionKind::Email => "邮件往来",
            InteractionKind::Meeting => "会议洽谈",
            InteractionKind::Exhibition => "展会洽谈",
        };
        let who = match contacts.get(profiles[ci].contacts.clone()) {
            Some(list) if !list.is_empty() => {
                let p = g.pick(list);
                format!("{}{}", p.title, p.name)
            }
            _ => String::new(),
        };
        let (purpose, reason) = *g.pick(PURPOSES);
        let (next_action, next_due) = if g.chance(0.7) {
            (g.pick(NEXT).to_string(), Some(add_days(date, g.int(7, 30))))
        } else {
            (String::new(), None)
        };
        out.push(Interaction {
            id: String::new(),
            customer_id: c.id.clone(),
            kind,
            date,
            purpose: purpose.to_string(),
            who,
            method: method.to_string(),
            reason: reason.to_string(),
            outcome: g.pick(OUTCOMES).to_string(),
            next_action,
            next_due,
            owner: c.owner.clone(),
            status: InteractionStatus::Done,
            start: None,
            duration_min: None,
            location: String::new(),
            sequence: 0,
            created_at: at(date, 10, 0),
            updated_at: at(date, 10, 0),
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.customer_id.cmp(&b.customer_id)));
    for (i, x) in out.iter_mut().enumerate() {
        x.id = format!("I{:06}", i + 1);
        x.created_at = at(x.date, 2 + (i % 8) as u32, (i % 60) as u32);
        x.updated_at = x.created_at;
    }
    out
}

/// Seed offset of the generator of the visit plan and referrers ("VISITS" in ASCII).
const VISIT_STREAM: u64 = 0x5649_5349_5453;

/// Referrers that are not customers: for about 3% of the customers without a referring
/// customer, a contact person of an earlier customer; for about 2%, a name.
fn gen_referrers(g: &mut Gen, customers: &mut [Customer], contacts: &[Contact]) {
    const NAMES: &[&str] = &["行业协会", "老客户介绍会", "展会主办方", "设计院朋友介绍"];
    for i in 0..customers.len() {
        if customers[i].referred_by.is_some() {
            continue;
        }
        let x = g.f();
        if x < 0.03 {
            let own = customers[i].id.as_str();
            let earlier: Vec<&Contact> = contacts.iter().filter(|c| c.customer_id.as_str() < own).collect();
            if !earlier.is_empty() {
                let c = earlier[g.int(0, earlier.len() as i64 - 1) as usize];
                customers[i].referred_by_contact = Some(c.id.clone());
            }
        } else if x < 0.05 {
            customers[i].referred_by_name = g.pick(NAMES).to_string();
        }
    }
}

/// Each account manager's visits around the demo's last day (taken as today): four done
/// this morning, each with an outcome and a next step that became a planned visit, five
/// planned this afternoon, one cancelled, five planned later this week and two planned
/// ones left overdue from the days before; every one with the five elements, a time in
/// UTC+8 and a place. Customers are the owner's active ones (fewer when they have fewer).
fn gen_visit_plan(g: &mut Gen, customers: &[Customer], contacts: &[Contact], end: Date, out: &mut Vec<Interaction>) {
    use crate::service::visits::{self, OutcomeInput, PlanSource, When, SHANGHAI};
    const OUTCOMES: &[(&str, &str)] = &[
        ("客户同意试用新品", "寄送样品"),
        ("达成续签意向", "发送合同草稿"),
        ("约定下月回款", "跟进回款"),
        ("问题已记录，待技术部答复", "安排技术人员上门"),
        ("了解到竞争对手报价更低", "提交报价单"),
    ];
    let sources = [PlanSource::Customer, PlanSource::NotContacted, PlanSource::DeclineWarning, PlanSource::WinBack];
    let local = |d: Date, h: u32, m: u32| {
        let t = NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        d.and_time(t).and_local_timezone(SHANGHAI).single()
    };
    let mut next_no = out.len() + 1;
    let mut new_id = || {
        let id = format!("I{next_no:06}");
        next_no += 1;
        id
    };
    let planned_at = at(add_days(end, -7), 17, 0);
    for (owner, _) in OWNERS {
        let mine: Vec<&Customer> = customers.iter().filter(|c| c.owner == *owner && c.status == CustomerStatus::Active).collect();
        if mine.is_empty() {
            continue;
        }
        // 17 visits for distinct customers, chosen without repetition while there are enough.
        let mut order: Vec<usize> = (0..mine.len()).collect();
        for i in (1..order.len()).rev() {
            let j = g.int(0, i as i64) as usize;
            order.swap(i, j);
        }
        let slots: Vec<(Date, u32, u32, InteractionStatus)> = [
            (0, 8, 30, InteractionStatus::Done),
            (0, 9, 30, InteractionStatus::Done),
            (0, 10, 30, InteractionStatus::Done),
            (0, 11, 15, InteractionStatus::Done),
            (0, 12, 0, InteractionStatus::Cancelled),
            (0, 13, 30, InteractionStatus::Planned),
            (0, 14, 15, InteractionStatus::Planned),
            (0, 15, 0, InteractionStatus::Planned),
            (0, 15, 45, InteractionStatus::Planned),
            (0, 16, 30, InteractionStatus::Planned),
            (1, 9, 30, InteractionStatus::Planned),
            (2, 14, 0, InteractionStatus::Planned),
            (3, 10, 0, InteractionStatus::Planned),
            (4, 15, 30, InteractionStatus::Planned),
            (5, 9, 0, InteractionStatus::Planned),
            (-2, 10, 0, InteractionStatus::Planned),
            (-4, 14, 30, InteractionStatus::Planned),
        ]
        .iter()
        .map(|&(d, h, m, s)| (add_days(end, d), h, m, s))
        .collect();
        for (k, (day, h, m, status)) in slots.into_iter().enumerate() {
            let c = mine[order[k % order.len()]];
            let Some(start) = local(day, h, m) else { continue };
            let source = sources[g.int(0, sources.len() as i64 - 1) as usize];
            let duration = [45, 60, 60, 90][g.int(0, 3) as usize];
            let own_contacts: Vec<Contact> = contacts.iter().filter(|x| x.customer_id == c.id).cloned().collect();
            let v = visits::plan_visit(source, c, &own_contacts, When::At(start), Some(duration), new_id(), Language::ZhCn, planned_at);
            match status {
                InteractionStatus::Planned => out.push(v),
                InteractionStatus::Cancelled => out.push(visits::cancel(&v, at(day, 3, 0))),
                InteractionStatus::Done => {
                    let (outcome, next) = *g.pick(OUTCOMES);
                    let next_day = add_days(end, g.int(2, 10));
                    let when = match local(next_day, 10, 0) {
                        Some(t) if g.chance(0.5) => When::At(t),
                        _ => When::Day(next_day),
                    };
                    let input = OutcomeInput { outcome: outcome.into(), next_action: next.into(), next: Some(when), next_id: new_id() };
                    let logged_at = start.to_utc() + TimeDelta::minutes(i64::from(duration) + 10);
                    if let Ok(l) = visits::log_outcome(&v, &input, Language::ZhCn, logged_at) {
                        out.push(l.done);
                        out.extend(l.next);
                    }
                }
            }
        }
    }
}

fn gen_complaints(g: &mut Gen, seed: u64, customers: &[Customer], profiles: &[Profile], end: Date, n: usize) -> Vec<Complaint> {
    const CATEGORIES: &[(&str, f64, &str, &str)] = &[
        ("产品质量", 0.35, "批次产品性能不达标，影响客户生产", "退换不合格批次并补发，质量部出具8D报告"),
        ("交货延迟", 0.25, "到货比约定晚一周，造成停线风险", "调整排产计划，承诺加急发货并补偿运费"),
        ("服务态度", 0.12, "客服电话多次无人接听", "对相关人员培训，公布专线电话"),
        ("账单差错", 0.12, "发票金额与合同单价不符", "重开发票并核对全部未结账单"),
        ("包装破损", 0.10, "运输途中包装破损，部分货物受潮", "更换包装方案，破损部分补发"),
        ("技术支持", 0.06, "现场技术问题两周未得到答复", "派技术工程师上门解决"),
    ];
    const CHANNELS: &[&str] = &["电话", "上门", "邮件", "微信", "信函"];
    let cut = at(end, 18, 0);
    // The event details (waits, reopenings, satisfaction, special teams) come from a second
    // generator, so the draws of `g`, and with them every record made after the
    // complaints, stay what they were before complaints had events.
    let mut h = Gen::new(seed ^ 0x636f_6d70_6c61_696e);
    let first = add_days(end, -730);
    let weights: Vec<f64> = CATEGORIES.iter().map(|c| c.1).collect();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let day = g.date_between(first, end);
        let Some(ci) = pick_customer(g, customers, profiles, day) else { break };
        let c = &customers[ci];
        let day = day.max(c.since.unwrap_or(day));
        let received_at = at(day, g.int(0, 9) as u32, g.int(0, 59) as u32);
        let (category, _, description, resolution) = CATEGORIES[g.weighted(&weights)];
        let severity = if g.chance(0.2) { Severity::Major } else { Severity::General };
        let age_days = (end - day).num_days();
        let identified = age_days > 3 || g.chance(0.5);
        let validity = identified.then(|| if g.chance(0.78) { Validity::Valid } else { Validity::Invalid });
        let confirm_within = if g.chance(0.85) { 24 * 60 } else { 60 * 60 };
        let confirmed_at = identified.then(|| received_at + TimeDelta::minutes(g.int(60, confirm_within)));
        let confirmed_at = confirmed_at.filter(|t| *t <= cut);
        let closed_at = confirmed_at
            .map(|t| t + TimeDelta::hours(g.int(4, if severity == Severity::Major { 30 * 24 } else { 12 * 24 })))
            .filter(|t| *t <= cut)
            .filter(|_| g.chance(0.97));
        let (resolution, explanation) = match validity {
            Some(Validity::Invalid) => (String::new(), "经核查为客户使用不当所致，已向客户说明正确用法".to_string()),
            Some(Validity::Valid) if closed_at.is_some() => (resolution.to_string(), String::new()),
            _ => (String::new(), String::new()),
        };
        let (follow_up_date, follow_up_result) = match closed_at {
            Some(t) if g.chance(0.75) => {
                let d = add_days(t.date_naive(), g.int(3, 14));
                if d <= end {
                    (Some(d), g.pick(&["客户对处理结果满意", "基本满意，希望加快响应", "不满意，要求进一步赔偿"]).to_string())
                } else {
                    (None, String::new())
                }
            }
            _ => (None, String::new()),
        };
        let owner = if severity == Severity::Major { "质量部 周敏".to_string() } else { c.owner.clone() };
        let channel = g.pick(CHANNELS).to_string();
        let legacy = Legacy { received_at, validity, confirmed_at, resolution, explanation, closed_at, follow_up_date, follow_up_result };
        let events = complaint_events(&mut h, &legacy, severity, &owner, cut);
        out.push(Complaint {
            id: String::new(),
            customer_id: c.id.clone(),
            channel,
            category: category.to_string(),
            description: description.to_string(),
            severity,
            owner,
            events,
            created_at: received_at,
            updated_at: received_at,
        });
    }
    // The most recent complaints walk to each state of the workflow in turn, so that every
    // state and every event (waiting, resumed, reopened…) shows on the demo.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| (out[i].received_at(), out[i].customer_id.clone()));
    for (k, &i) in order.iter().rev().take(ComplaintState::ALL.len()).enumerate() {
        let state = ComplaintState::ALL[k];
        let received = at(add_days(end, -(k as i64) - 1), 1 + h.int(0, 2) as u32, h.int(0, 59) as u32);
        let c = &mut out[i];
        c.events = walk_to(&mut h, state, received, c.severity, &c.owner);
    }
    for c in &mut out {
        let first = c.events.first().map(|e| e.at.to_utc()).unwrap_or(c.created_at);
        c.created_at = first;
        c.updated_at = c.events.last().map(|e| e.at.to_utc()).unwrap_or(first);
    }
    out.sort_by(|a, b| a.received_at().cmp(&b.received_at()).then_with(|| a.customer_id.cmp(&b.customer_id)));
    for (i, x) in out.iter_mut().enumerate() {
        x.id = format!("T{:06}", i + 1);
    }
    out
}

/// The handling facts the complaint generator draws (the old flag shape).
struct Legacy {
    received_at: Timestamp,
    validity: Option<Validity>,
    confirmed_at: Option<Timestamp>,
    resolution: String,
    explanation: String,
    closed_at: Option<Timestamp>,
    follow_up_date: Option<Date>,
    follow_up_result: String,
}

fn cst(t: Timestamp) -> EventTime {
    t.with_timezone(&DEMO_ZONE)
}

const DEMO_ZONE: chrono::FixedOffset = match chrono::FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

const TEAM: &[&str] = &["质量部 周敏", "技术部 刘强", "生产部 陈静"];

fn satisfaction_of(result: &str, h: &mut Gen) -> u8 {
    if result.starts_with("不满意") {
        1 + h.int(0, 1) as u8
    } else if result.starts_with("基本满意") {
        3 + h.int(0, 1) as u8
    } else {
        4 + h.int(0, 1) as u8
    }
}

/// The event history of a generated complaint, every event at or before `cut`: received,
/// confirmed, valid (special team for most major ones) or invalid, for valid ones
/// sometimes a wait for the customer, resolved at the old closing time, sometimes reopened
/// and resolved again, followed up on the follow-up day with a satisfaction that matches
/// the result, and closed; invalid ones closed at the closing time.
fn complaint_events(h: &mut Gen, l: &Legacy, severity: Severity, owner: &str, cut: Timestamp) -> Vec<ComplaintEvent> {
    let ev = |action, t: Timestamp| ComplaintEvent::new(action, cst(t), owner);
    let mut out = vec![ev(ComplaintAction::Received, l.received_at)];
    let Some(confirmed) = l.confirmed_at else { return out };
    out.push(ev(ComplaintAction::Confirmed, confirmed).with_note("已电话联系客户确认"));
    let decided = (confirmed + TimeDelta::minutes(h.int(10, 120))).min(l.closed_at.unwrap_or(cut)).min(cut).max(confirmed);
    match l.validity {
        None => return out,
        Some(Validity::Invalid) => {
            out.push(ev(ComplaintAction::Invalid { explanation: l.explanation.clone() }, decided));
            if let Some(t) = l.closed_at.filter(|t| *t >= decided) {
                out.push(ev(ComplaintAction::Closed, t));
            }
            return out;
        }
        Some(Validity::Valid) => {
            let team = severity == Severity::Major && h.chance(0.7);
            let action = if team {
                ComplaintAction::Valid { handling: Handling::SpecialTeam, members: TEAM.iter().map(|s| s.to_string()).collect() }
            } else {
                ComplaintAction::Valid { handling: Handling::Local, members: vec![] }
            };
            out.push(ev(action, decided));
        }
    }
    let until = l.closed_at.unwrap_or(cut);
    if h.chance(0.25) {
        let span = (until - decided).num_minutes().max(0);
        let w = decided + TimeDelta::minutes(span / 4);
        let r = decided + TimeDelta::minutes(span / 2);
        if w > decided && r > w && r < until {
            out.push(ev(ComplaintAction::Waiting, w).with_note("等待客户提供批次号和现场照片"));
            out.push(ev(ComplaintAction::Resumed, r).with_note("客户已提供资料"));
        } else if l.closed_at.is_none() && w > decided && w <= cut {
            out.push(ev(ComplaintAction::Waiting, w).with_note("等待客户提供批次号和现场照片"));
        }
    }
    let Some(closed) = l.closed_at else { return out };
    out.push(ev(ComplaintAction::Resolved, closed).with_note(l.resolution.clone()));
    let mut resolved = closed;
    if h.chance(0.06) {
        let reopen = closed + TimeDelta::hours(h.int(24, 72));
        let again = reopen + TimeDelta::hours(h.int(4, 96));
        if again <= cut && l.follow_up_date.is_none_or(|d| at(d, 2, 0) > again) {
            out.push(ev(ComplaintAction::Reopened, reopen).with_note("客户反馈问题再次出现"));
            out.push(ev(ComplaintAction::Resolved, again).with_note(l.resolution.clone()));
            resolved = again;
        }
    }
    let Some(day) = l.follow_up_date else { return out };
    let visit = at(day, 2, 0).max(resolved);
    if visit > cut {
        return out;
    }
    let satisfaction = satisfaction_of(&l.follow_up_result, h);
    out.push(ev(ComplaintAction::FollowedUp { result: l.follow_up_result.clone(), satisfaction: Some(satisfaction) }, visit));
    let close = visit + TimeDelta::hours(h.int(1, 48));
    if close <= cut && h.chance(0.9) {
        out.push(ev(ComplaintAction::Closed, close));
    }
    out
}

/// A short history that ends in `state`; the one ending closed walks through every event
/// (waiting, resumed, resolved, reopened, resolved, followed up, closed). Steps are one to
/// three hours apart, so a history started a day before the end fits before it.
fn walk_to(h: &mut Gen, state: ComplaintState, received: Timestamp, severity: Severity, owner: &str) -> Vec<ComplaintEvent> {
    use ComplaintState as S;
    let mut t = received;
    let mut out = vec![ComplaintEvent::new(ComplaintAction::Received, cst(t), owner)];
    let mut step = |h: &mut Gen, out: &mut Vec<ComplaintEvent>, action: ComplaintAction, note: &str| {
        t += TimeDelta::minutes(h.int(60, 180));
        out.push(ComplaintEvent::new(action, cst(t), owner).with_note(note));
    };
    if state == S::Registered {
        return out;
    }
    step(h, &mut out, ComplaintAction::Confirmed, "已电话联系客户确认");
    if state == S::Confirmed {
        return out;
    }
    if state == S::Invalid {
        step(h, &mut out, ComplaintAction::Invalid { explanation: "经核查为客户使用不当所致，已向客户说明正确用法".into() }, "");
        return out;
    }
    let valid = if severity == Severity::Major {
        ComplaintAction::Valid { handling: Handling::SpecialTeam, members: TEAM.iter().map(|s| s.to_string()).collect() }
    } else {
        ComplaintAction::Valid { handling: Handling::Local, members: vec![] }
    };
    step(h, &mut out, valid, "");
    if state == S::Handling {
        return out;
    }
    step(h, &mut out, ComplaintAction::Waiting, "等待客户提供批次号和现场照片");
    if state == S::Waiting {
        return out;
    }
    if state == S::Closed {
        step(h, &mut out, ComplaintAction::Resumed, "客户已提供资料");
        step(h, &mut out, ComplaintAction::Resolved, "更换不合格批次");
        step(h, &mut out, ComplaintAction::Reopened, "客户反馈问题再次出现");
    }
    step(h, &mut out, ComplaintAction::Resolved, "更换不合格批次");
    if state == S::Resolved {
        return out;
    }
    step(h, &mut out, ComplaintAction::FollowedUp { result: "客户对处理结果满意".into(), satisfaction: Some(5) }, "");
    if state == S::FollowedUp {
        return out;
    }
    step(h, &mut out, ComplaintAction::Closed, "");
    out
}

/// Leaf ids of the natural-gas survey with the mean answer (1-5) the demo aims at.
const GAS_LEAVES: &[(&str, f64)] = &[
    ("supply_pressure", 4.0),
    ("gas_quality", 3.1),
    ("repair_attitude", 4.6),
    ("repair_timeliness", 3.1),
    ("repair_result", 3.9),
    ("reader_attitude", 3.9),
    ("reading_errors", 4.6),
    ("bill_on_time", 3.1),
];

fn leaf(id: &str, label: &str, weight: f64) -> IndicatorNode {
    IndicatorNode { id: id.into(), label: label.into(), weight, children: Vec::new() }
}

fn group(id: &str, label: &str, weight: f64, children: Vec<IndicatorNode>) -> IndicatorNode {
    IndicatorNode { id: id.into(), label: label.into(), weight, children }
}

/// The natural-gas supply indicator tree of SPEC §5, labels and weights as there.
pub fn gas_indicator_tree() -> IndicatorNode {
    group("csi", "顾客对天然气供应质量的感知", 1.0, vec![
        group("supply", "供气质量", 0.7, vec![leaf("supply_pressure", "供气压力", 0.6), leaf("gas_quality", "气质", 0.4)]),
        group("repair", "维修质量", 0.2, vec![
            leaf("repair_attitude", "维修服务态度", 0.2),
            leaf("repair_timeliness", "修理及时性", 0.4),
            leaf("repair_result", "修理结果", 0.4),
        ]),
        group("meter", "抄表质量", 0.1, vec![
            leaf("reader_attitude", "抄表员服务态度", 0.3),
            leaf("reading_errors", "抄表是否有差错", 0.4),
            leaf("bill_on_time", "表单是否及时送到", 0.3),
        ]),
    ])
}

/// The three half-year periods ending with the one that contains `end`, oldest first,
/// each with its first and last day.
fn periods(end: Date) -> Vec<(String, Date, Date)> {
    let mut out = Vec::new();
    let (mut y, mut h) = (end.year(), if end.month() <= 6 { 1 } else { 2 });
    for _ in 0..3 {
        let (a, b) = if h == 1 { (ymd(y, 1, 1), ymd(y, 6, 30)) } else { (ymd(y, 7, 1), ymd(y, 12, 31)) };
        out.push((format!("{y}H{h}"), a, b.min(end)));
        if h == 1 {
            y -= 1;
            h = 2;
        } else {
            h = 1;
        }
    }
    out.reverse();
    out
}

fn gas_survey(end: Date) -> Survey {
    let created = periods(end).first().map(|p| p.1).unwrap_or(end);
    Survey {
        id: "S001".into(),
        name: "天然气供应顾客满意度调查".into(),
        scale: Scale::Likert5,
        root: gas_indicator_tree(),
        competitors: vec!["华润燃气".into(), "港华燃气".into()],
        design: Default::default(),
        created_at: at(created, 1, 0),
        updated_at: at(created, 1, 0),
    }
}

/// Seed offset of the CCSI survey's random stream.
const CCSI_STREAM: u64 = 0x4343_5349;

/// The China customer satisfaction index survey (the CCSI template with its path model:
/// brand image, expectations, quality, value, satisfaction, complaints, loyalty), so that
/// the PLS path model and its bootstrap show on the demo.
fn ccsi_survey(end: Date) -> Survey {
    let created = periods(end).first().map(|p| p.1).unwrap_or(end);
    let mut s = crate::satisfaction::templates::from_template(
        crate::satisfaction::templates::Template::Ccsi,
        "S002",
        "中国顾客满意度指数（CCSI）调查",
        crate::model::Language::ZhCn,
        at(created, 2, 0),
    );
    s.updated_at = s.created_at;
    s
}

/// CCSI answers (1-10) from a structural model of standardised latent scores along the
/// template's paths, each question its construct plus noise: image → expectations →
/// quality → value → satisfaction → complaints → loyalty (with image → satisfaction and
/// loyalty), so the PLS fit finds positive paths and a bootstrap is stable. Respondents are
/// active customers (60 %) or anonymous; the recommend answer follows loyalty.
fn gen_ccsi_responses(g: &mut Gen, customers: &[Customer], survey: &Survey, end: Date, n: usize) -> Vec<SurveyResponse> {
    let periods = periods(end);
    let active: Vec<&Customer> = customers.iter().filter(|c| c.status == CustomerStatus::Active).collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let pi = (i * periods.len() / n.max(1)).min(periods.len() - 1);
        let (period, a, b) = &periods[pi];
        let date = g.date_between(*a, *b);
        let mut e = |w: f64| w * g.normal();
        let imag = e(1.0);
        let expe = 0.6 * imag + e(0.8);
        let qual = 0.55 * expe + e(0.83);
        let val = 0.3 * expe + 0.5 * qual + e(0.75);
        let sat = 0.15 * imag + 0.1 * expe + 0.4 * qual + 0.3 * val + e(0.6);
        let comp = 0.5 * sat + e(0.87);
        let loy = 0.2 * imag + 0.5 * sat + 0.2 * comp + e(0.7);
        let latent = [("imag", imag), ("expe", expe), ("qual", qual), ("val", val), ("sat", sat), ("comp", comp), ("loy", loy)];
        let mut answers = BTreeMap::new();
        for block in &survey.root.children {
            let lv = latent.iter().find(|(id, _)| *id == block.id).map_or(0.0, |l| l.1);
            for q in &block.children {
                let x = (7.2 + 1.4 * (0.85 * lv + 0.5 * g.normal())).round().clamp(1.0, 10.0);
                answers.insert(q.id.clone(), Some(x));
            }
        }
        let customer_id = if g.chance(0.6) && !active.is_empty() { Some(g.pick(&active).id.clone()) } else { None };
        let recommend = g.chance(0.9).then(|| (7.0 + 1.6 * loy + 0.8 * g.normal()).round().clamp(0.0, 10.0) as u8);
        out.push(SurveyResponse {
            id: String::new(),
            survey_id: survey.id.clone(),
            customer_id,
            segment: BTreeMap::new(),
            date,
            period: period.clone(),
            answers,
            competitor_answers: BTreeMap::new(),
            repurchase: None,
            recommend,
            created_at: at(date, 3, 0),
            updated_at: at(date, 3, 0),
        });
    }
    out.sort_by_key(|r| r.date);
    for (i, r) in out.iter_mut().enumerate() {
        r.id = format!("RC{:06}", i + 1);
        r.created_at = at(r.date, 3 + (i % 6) as u32, (i % 60) as u32);
        r.updated_at = r.created_at;
    }
    out
}

fn gen_responses(g: &mut Gen, customers: &[Customer], survey: &Survey, end: Date, n: usize) -> Vec<SurveyResponse> {
    let periods = periods(end);
    let segment_defs: Vec<_> = crate::model::builtin_attributes()
        .into_iter()
        .filter(|d| d.group == AttributeGroup::Demographic && !d.values.is_empty() && !d.multi && d.key != "age_band")
        .collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let pi = (i * periods.len() / n.max(1)).min(periods.len() - 1);
        let (period, a, b) = &periods[pi];
        let date = g.date_between(*a, *b);
        let drift = 0.1 * pi as f64;
        let theta = 0.7 * g.normal() + drift;
        let customer_id = if g.chance(0.75) {
            let eligible = |c: &Customer| c.since.is_none_or(|s| s <= date) && c.status == CustomerStatus::Active;
            let start = g.int(0, customers.len() as i64 - 1).max(0) as usize;
            (0..customers.len()).map(|k| (start + k) % customers.len()).find(|&k| eligible(&customers[k])).map(|k| customers[k].id.clone())
        } else {
            None
        };
        let mut segment = BTreeMap::new();
        if customer_id.is_none() {
            // Households answer anonymously; age bands of adults only.
            segment.insert("age_band".to_string(), g.pick(&["20_34", "35_49", "50_64", "65plus"]).to_string());
            for d in &segment_defs {
                segment.insert(d.key.clone(), g.pick(&d.values).code.clone());
            }
        }
        let no_repair = g.chance(0.06);
        let mut answers = BTreeMap::new();
        let mut sum = 0.0;
        let mut count = 0.0;
        for (leaf, mean) in GAS_LEAVES {
            if no_repair && leaf.starts_with("repair") {
                answers.insert(leaf.to_string(), None);
                continue;
            }
            let x = (mean + theta + 0.5 * g.normal()).round().clamp(1.0, 5.0);
            sum += x;
            count += 1.0;
            answers.insert(leaf.to_string(), Some(x));
        }
        let mean = if count > 0.0 { sum / count } else { 3.0 };
        let mut competitor_answers = BTreeMap::new();
        if g.chance(0.3) {
            for (name, shift) in survey.competitors.iter().zip([-0.2, 0.1]) {
                if g.chance(0.8) {
                    let ratings = GAS_LEAVES
                        .iter()
                        .filter(|(leaf, _)| !(no_repair && leaf.starts_with("repair")))
                        .map(|(leaf, m)| (leaf.to_string(), (m + shift + 0.5 * theta + 0.6 * g.normal()).round().clamp(1.0, 5.0)))
                        .collect();
                    competitor_answers.insert(name.clone(), ratings);
                }
            }
        }
        let repurchase = g.chance(0.9).then(|| (mean + 0.3 * g.normal()).round().clamp(1.0, 5.0));
        let recommend = g
            .chance(0.85)
            .then(|| ((mean - 1.0) / 4.0 * 10.0 + 1.3 * g.normal()).round().clamp(0.0, 10.0) as u8);
        out.push(SurveyResponse {
            id: String::new(),
            survey_id: survey.id.clone(),
            customer_id,
            segment,
            date,
            period: period.clone(),
            answers,
            competitor_answers,
            repurchase,
            recommend,
            created_at: at(date, 3, 0),
            updated_at: at(date, 3, 0),
        });
    }
    out.sort_by_key(|r| r.date);
    for (i, r) in out.iter_mut().enumerate() {
        r.id = format!("R{:06}", i + 1);
        r.created_at = at(r.date, 3 + (i % 6) as u32, (i % 60) as u32);
        r.updated_at = r.created_at;
    }
    out
}

/// The benchmark size asked for by a `demo=CUSTOMERSxLINES` parameter of a URL query
/// (`?demo=100000x1000000`), at most 500,000 customers and 5,000,000 lines.
pub fn size_from_query(query: &str) -> Option<(usize, usize)> {
    let value = query.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("demo="))?;
    let (c, o) = value.split_once(['x', 'X'])?;
    let (c, o): (usize, usize) = (c.parse().ok()?, o.parse().ok()?);
    ((1..=500_000).contains(&c) && o <= 5_000_000).then_some((c, o))
}

/// A large, plain dataset for benchmarks: `customers` customers (lognormal sizes, region,
/// city, industry, owner) and `orders` order lines spread over the three years up to `end`,
/// nothing else. Deterministic in its arguments.
pub fn generate_large(seed: u64, customers: usize, orders: usize, end: Date) -> Dataset {
    let mut g = Gen::new(seed);
    let end = clamp_end(end);
    let (start, _) = window(end);
    let span = (end - start).num_days();
    let region_weights: Vec<f64> = GEO.iter().map(|r| r.1).collect();
    let mut cs = Vec::with_capacity(customers);
    let mut cumulative = Vec::with_capacity(customers);
    let mut acc = 0.0;
    for i in 0..customers {
        let r = g.weighted(&region_weights);
        let (region, _, provinces) = &GEO[r];
        let prov = g.pick(provinces);
        let &(city, city_size) = g.pick(prov.cities);
        let industry = g.pick(INDUSTRIES);
        let since = add_days(start, -g.int(0, 3000));
        let created_at = at(since.max(ymd(2015, 1, 1)), 1, (i % 60) as u32);
        let name = format!(
            "{}{}{}{}{}",
            city.trim_end_matches('市'),
            g.pick(BRAND1),
            g.pick(BRAND2),
            g.pick(industry.words),
            g.pick(SUFFIX_END)
        );
        // Fields that draw from the generator stay in this order: it fixes the data.
        cs.push(Customer {
            code: format!("KH{:06}", i + 1),
            kind: CustomerKind::ALL[g.weighted(&[0.75, 0.15, 0.10])],
            industry: industry.name.to_string(),
            region: Some(*region),
            province: prov.name.to_string(),
            city: city.to_string(),
            city_size: Some(city_size),
            economic_zone: Some(prov.zone),
            owner: OWNERS.iter().filter(|o| o.1 == r).map(|o| o.0).next().unwrap_or("张伟").to_string(),
            credit_rating: Some(CreditRating::ALL[g.int(0, 6) as usize]),
            since: Some(since),
            ..Customer::new(format!("C{:06}", i + 1), name, created_at)
        });
        acc += (1.35 * g.normal()).exp();
        cumulative.push(acc);
    }
    let mut lines: Vec<(i64, u32, f64)> = Vec::with_capacity(orders);
    if customers > 0 {
        for _ in 0..orders {
            let x = g.f() * acc;
            let ci = cumulative.partition_point(|&c| c <= x).min(customers - 1);
            let day = g.int(0, span);
            let amount = round2(3000.0 * (0.8 * g.normal()).exp());
            lines.push((day, ci as u32, amount));
        }
    }
    lines.sort_by_key(|l| l.0);
    let products = INDUSTRIES.iter().flat_map(|i| i.products.iter()).collect::<Vec<_>>();
    let os = lines
        .into_iter()
        .enumerate()
        .map(|(i, (day, ci, amount))| {
            let date = add_days(start, day);
            let p = products[i % products.len()];
            let t = at(date, 2, (i % 60) as u32);
            OrderLine {
                id: format!("O{:07}", i + 1),
                customer_id: cs[ci as usize].id.clone(),
                order_no: format!("SO{:07}", i / 2 + 1),
                date,
                amount,
                profit: Some(round2(amount * p.3)),
                product: p.0.to_string(),
                category: p.1.to_string(),
                quantity: Some((amount / p.2).round().max(1.0)),
                channel: "直销".to_string(),
                created_at: t,
                updated_at: t,
            }
        })
        .collect();
    Dataset { customers: cs, orders: os, ..Dataset::default() }
}

/// The value-analysis benchmark set: [`generate_large`] with 100,000 customers and
/// 1,250,000 lines to 2026-06-30, where every second customer drops out at a date spread
/// over 2023-07-01 … 2026-03-26 (their later lines removed), so that the BG/NBD fit has real
/// drop-out to find. About 0.9-1M lines remain. The same set natively and in the browser, so
/// the two timings compare.
pub fn value_bench_set() -> Dataset {
    let end = Date::from_ymd_opt(2026, 6, 30).expect("valid date");
    let mut big = generate_large(1, 100_000, 1_250_000, end);
    let start = Date::from_ymd_opt(2023, 7, 1).expect("valid date");
    let death: std::collections::HashMap<String, Date> = big
        .customers
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, c)| (c.id.clone(), start + chrono::Days::new(((i * 7919) % 1000) as u64)))
        .collect();
    big.orders.retain(|o| death.get(&o.customer_id).is_none_or(|d| o.date <= *d));
    big
}
