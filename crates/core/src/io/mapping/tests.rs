use super::*;

fn h(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn chinese_order_headers() {
    let m = suggest(ImportKind::Orders, &h(&["客户编号", "客户名称", "订单号", "日期", "金额（元）", "毛利", "产品", "数量", "渠道"]));
    assert_eq!(m.header("customer_code"), Some("客户编号"));
    assert_eq!(m.header("customer_name"), Some("客户名称"));
    assert_eq!(m.header("order_no"), Some("订单号"));
    assert_eq!(m.header("date"), Some("日期"));
    assert_eq!(m.header("amount"), Some("金额（元）"));
    assert_eq!(m.header("profit"), Some("毛利"));
    assert_eq!(m.header("product"), Some("产品"));
    assert_eq!(m.header("quantity"), Some("数量"));
    assert_eq!(m.header("channel"), Some("渠道"));
}

#[test]
fn english_spacing_and_full_width() {
    let m = suggest(ImportKind::Orders, &h(&["Customer Code", "Order Date", "Sales Amount", "ＱＴＹ", " product_name "]));
    assert_eq!(m.header("customer_code"), Some("Customer Code"));
    assert_eq!(m.header("date"), Some("Order Date"));
    assert_eq!(m.header("amount"), Some("Sales Amount"));
    assert_eq!(m.header("quantity"), Some("ＱＴＹ"));
    assert_eq!(m.header("product"), Some(" product_name "));
}

#[test]
fn customer_headers() {
    let m = suggest(ImportKind::Customers, &h(&["客户编号", "客户名称", "省份", "城市", "行业", "客户经理", "信用等级", "备注"]));
    for (f, want) in [("code", "客户编号"), ("name", "客户名称"), ("province", "省份"), ("city", "城市"), ("industry", "行业"), ("owner", "客户经理"), ("credit_rating", "信用等级"), ("notes", "备注")] {
        assert_eq!(m.header(f), Some(want), "{f}");
    }
    let m = suggest(ImportKind::Customers, &h(&["code", "name", "Province", "City"]));
    assert_eq!((m.header("code"), m.header("name")), (Some("code"), Some("name")));
}

#[test]
fn contains_match_and_one_column_per_field() {
    let m = suggest(ImportKind::Orders, &h(&["销售日期", "含税销售金额", "金额"]));
    assert_eq!(m.header("date"), Some("销售日期"));
    // The exact match wins over the containing header.
    assert_eq!(m.header("amount"), Some("金额"));
}

#[test]
fn responses_complaints_contacts() {
    let m = suggest(ImportKind::Responses, &h(&["客户名称", "调查日期", "推荐可能性", "供气压力"]));
    assert_eq!(m.header("date"), Some("调查日期"));
    assert_eq!(m.header("recommend"), Some("推荐可能性"));
    assert_eq!(m.header("customer_name"), Some("客户名称"));
    let m = suggest(ImportKind::Complaints, &h(&["客户", "投诉时间", "严重程度", "是否属实"]));
    assert_eq!(m.header("received_at"), Some("投诉时间"));
    assert_eq!(m.header("validity"), Some("是否属实"));
    let m = suggest(ImportKind::Contacts, &h(&["公司", "联系人", "手机", "角色"]));
    assert_eq!((m.header("name"), m.header("phone"), m.header("roles")), (Some("联系人"), Some("手机"), Some("角色")));
}

#[test]
fn signature_ignores_spacing_and_width_and_mapping_serialises() {
    let a = header_signature(&h(&["客户名称", "金额"]));
    let b = header_signature(&h(&[" 客户名称 ", "金额"]));
    let c = header_signature(&h(&["金额", "客户名称"]));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), 64);
    let m = suggest(ImportKind::Orders, &h(&["客户编号", "日期", "金额"]));
    let json = serde_json::to_string(&m).expect("json");
    let back: Mapping = serde_json::from_str(&json).expect("back");
    assert_eq!(back, m);
    assert_eq!(ImportKind::from_name("orders"), Some(ImportKind::Orders));
}
