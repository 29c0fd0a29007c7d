//! The role proposals' tests.

use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn english_and_chinese_header_names_are_recognised() {
    let cases = [
        ("客户ID", Role::CustomerId),
        ("会员ID", Role::CustomerId),
        ("用户ID", Role::CustomerId),
        ("Customer ID", Role::CustomerId),
        ("customer_id", Role::CustomerId),
        ("下单时间", Role::Date),
        ("订单日期", Role::Date),
        ("日期", Role::Date),
        ("order_date", Role::Date),
        ("金额", Role::Amount),
        ("实付金额", Role::Amount),
        ("消费金额", Role::Amount),
        ("Revenue", Role::Amount),
        ("dollar_value", Role::Amount),
        ("订单号", Role::OrderId),
        ("number_of_cds", Role::Quantity),
        ("渠道", Role::Channel),
        ("来源", Role::Channel),
        ("品类", Role::Category),
        ("会员等级", Role::MemberLevel),
        ("评分", Role::Score),
        ("推荐意愿", Role::Score),
        ("Likelihood to recommend", Role::Score),
        ("评论", Role::Comment),
    ];
    for (name, want) in cases {
        assert_eq!(role_from_name(name), Some(want), "{name}");
    }
    assert_eq!(role_from_name("colour"), None);
}

/// Profiles of `rows` filled cells for each column, from (header, values).
fn proposed(columns: &[(&str, &[&str])]) -> Proposal {
    let names: Vec<String> = columns.iter().map(|(n, _)| n.to_string()).collect();
    let profiles: Vec<Profile> = columns.iter().map(|(_, v)| profile(v)).collect();
    propose_with_reasons(&names, &profiles)
}

#[test]
fn an_address_a_phone_or_a_name_never_becomes_a_customer_id_or_an_amount() {
    let phones: &[&str] = &["13812345678", "13987654321", "13812345678", "15011112222"];
    let places: &[&str] = &["浙江省", "广东省", "浙江省", "北京"];
    let money: &[&str] = &["12.50", "99.00", "12.50", "7.25"];
    let dates: &[&str] = &["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"];
    for vetoed in ["收货地址", "Shipping Province", "phone", "联系手机", "Billing Name", "city", "邮编", "桌号", "cashier"]
    {
        for values in [phones, places] {
            let p = proposed(&[(vetoed, values), ("下单时间", dates), ("实付金额", money)]);
            assert_eq!(p.mapping.get(&Role::CustomerId), None, "{vetoed} {values:?}");
        }
        let p = proposed(&[("客户ID", places), (vetoed, phones), ("下单时间", dates)]);
        assert_eq!(p.mapping.get(&Role::Amount), None, "{vetoed}");
    }
    // Phone numbers are never an amount, whatever their header.
    let p = proposed(&[("客户ID", places), ("x", phones), ("下单时间", dates)]);
    assert_eq!(p.mapping.get(&Role::Amount), None);
    // A buyer's phone number is a key by its header, and says so.
    let p = proposed(&[("买家手机号", phones), ("下单时间", dates), ("实付金额", money)]);
    assert_eq!(p.mapping.get(&Role::CustomerId), Some(&0));
    assert_eq!(p.reasons[&Role::CustomerId].to_string(), "from the header 买家手机号");
}

#[test]
fn a_column_named_id_beats_an_unnamed_column_of_row_numbers() {
    let rows: &[&str] = &["1", "2", "3", "4", "5", "6"];
    let ids: &[&str] = &["R7", "R9", "R7", "R3", "R9", "R1"];
    let scores: &[&str] = &["9", "NA", "3", "10", "7", "NA"];
    let p = proposed(&[("", rows), ("id", ids), ("recommend", scores)]);
    assert_eq!(p.mapping.get(&Role::CustomerId), Some(&1));
    assert_eq!(p.mapping.get(&Role::Score), Some(&2));
    // Row numbers are no customer even where nothing else is.
    let p = proposed(&[("", rows), ("recommend", scores)]);
    assert_eq!(p.mapping.get(&Role::CustomerId), None);
}

#[test]
fn values_make_a_customer_id_only_when_they_are_account_keys() {
    let keys: &[&str] = &["u1001", "u1002", "u1001", "u1003", "u1002", "u1004"];
    let titles: &[&str] = &["小米手环", "红米手机", "小米手环", "小米手环", "电视", "电视"];
    let p = proposed(&[("备用字段", keys), ("商品", titles)]);
    assert_eq!(p.mapping.get(&Role::CustomerId), Some(&0));
    assert_eq!(p.reasons[&Role::CustomerId].to_string(), "from the values: 4 distinct ids over 6 rows");
    let p = proposed(&[("商品标题", titles)]);
    assert_eq!(p.mapping.get(&Role::CustomerId), None, "repeated product titles are no customers");
}

#[test]
fn role_names_are_written_normalised() {
    for role in Role::ALL {
        for name in role.names() {
            assert_eq!(normalise_name(name), *name, "{role:?}");
        }
    }
}

#[test]
fn a_header_is_recognised_by_names_or_by_types() {
    let below = vec![s(&["00004", "0001", "19970101", "2", "29.33"]), s(&["00004", "0001", "19970118", "2", "29.73"])];
    assert!(!looks_like_header(&s(&["00021", "0002", "19970101", "3", "63.34"]), &below));
    assert!(looks_like_header(&s(&["cust", "seq", "when", "n", "spend"]), &below));
    assert!(looks_like_header(&s(&["customer_id", "date", "number_of_cds", "dollar_value"]), &[]));
}

#[test]
fn headerless_cdnow_sample_columns_are_proposed_from_values() {
    let rows = [
        ["00004", "0001", "19970101", "2", "29.33"],
        ["00004", "0001", "19970118", "2", "29.73"],
        ["00021", "0002", "19970101", "3", "63.34"],
        ["00050", "0003", "19970101", "1", "11.77"],
    ];
    let profiles: Vec<Profile> = (0..5).map(|c| profile(&rows.iter().map(|r| r[c]).collect::<Vec<_>>())).collect();
    let names = vec![String::new(); 5];
    let m = propose(&names, &profiles);
    assert_eq!(m.get(&Role::CustomerId), Some(&0));
    assert_eq!(m.get(&Role::Date), Some(&2));
    assert_eq!(m.get(&Role::Quantity), Some(&3));
    assert_eq!(m.get(&Role::Amount), Some(&4));
}

#[test]
fn names_win_over_values_and_each_column_gets_one_role() {
    let names = s(&["订单号", "客户ID", "下单时间", "实付金额", "渠道"]);
    let profiles = vec![Profile::default(); 5];
    let m = propose(&names, &profiles);
    assert_eq!(m.get(&Role::OrderId), Some(&0));
    assert_eq!(m.get(&Role::CustomerId), Some(&1));
    assert_eq!(m.get(&Role::Date), Some(&2));
    assert_eq!(m.get(&Role::Amount), Some(&3));
    assert_eq!(m.get(&Role::Channel), Some(&4));
}
