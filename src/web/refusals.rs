//! The services' refusals in the page's language. The services answer in English, as the API
//! does (a client keys on the problem's `type` and the field, not on the words); a page shows the
//! same refusal to a person, so it looks the English up here.
//!
//! An entry's English is the service's message with `{}` where a part varies (a number, a code,
//! a list of values). A translation takes the varying parts in order with `{}`, or drops them
//! where an English word (a status, a code) would stand out in a Chinese sentence. A message
//! without an entry shows in English; `source_rules::every_literal_refusal_has_a_translation`
//! lists any refusal written in the sources that has none.

use std::borrow::Cow;

use crate::i18n::Locale;

/// (English, Simplified, Traditional).
const REFUSALS: &[(&str, &str, &str)] = &[
    // Accounts and sign-in.
    ("is required", "必填", "必填"),
    ("enter your email", "请输入电子邮箱", "請輸入電郵地址"),
    ("enter your password", "请输入密码", "請輸入密碼"),
    (
        "must be at least {} characters",
        "至少需要 {} 个字符",
        "至少需要 {} 個字元",
    ),
    (
        "must be at most {} characters",
        "最多 {} 个字符",
        "最多 {} 個字元",
    ),
    (
        "must be at most 100 characters",
        "最多 100 个字符",
        "最多 100 個字元",
    ),
    (
        "must be at most 254 characters",
        "最多 254 个字符",
        "最多 254 個字元",
    ),
    (
        "must be at most 500 characters",
        "最多 500 个字符",
        "最多 500 個字元",
    ),
    (
        "must be at most 1000 characters",
        "最多 1000 个字符",
        "最多 1000 個字元",
    ),
    (
        "must be at most 2000 characters",
        "最多 2000 个字符",
        "最多 2000 個字元",
    ),
    (
        "is not a valid email address",
        "不是有效的电子邮箱",
        "不是有效的電郵地址",
    ),
    (
        "unsupported locale {}: use en, zh-Hans or zh-Hant",
        "不支持此语言：请选择 en、zh-Hans 或 zh-Hant",
        "不支援此語言：請選擇 en、zh-Hans 或 zh-Hant",
    ),
    (
        "must have a domain with a dot, like example.com",
        "须含带点的域名，例如 example.com",
        "須含帶點的網域，例如 example.com",
    ),
    (
        "is too common; choose one that others do not use",
        "过于常见，请换一个别人不会用的密码",
        "過於常見，請換一個別人不會用的密碼",
    ),
    (
        "must not contain control characters",
        "不能包含控制字符",
        "不能包含控制字元",
    ),
    ("must be one of: {}", "须为以下之一：{}", "須為以下之一：{}"),
    ("one of {}", "须为以下之一：{}", "須為以下之一：{}"),
    (
        "an account with this email already exists",
        "此电子邮箱已有账户",
        "此電郵地址已有帳戶",
    ),
    (
        "is invalid, expired or already used",
        "无效、已过期或已使用",
        "無效、已過期或已使用",
    ),
    (
        "the refresh token is invalid, expired or revoked",
        "登录凭证无效、已过期或已撤销，请重新登录",
        "登入憑證無效、已過期或已撤銷，請重新登入",
    ),
    (
        "the {} role may not do this",
        "您的账户角色不能进行此操作",
        "您的帳戶角色不能進行此操作",
    ),
    (
        "this form has expired or was not sent from this site: reload the page and send it again",
        "此表单已过期或并非从本站提交：请重新载入页面后再提交",
        "此表格已過期或並非從本站提交：請重新載入頁面後再提交",
    ),
    (
        "send the form as application/x-www-form-urlencoded",
        "请从本站页面提交表单",
        "請從本站頁面提交表格",
    ),
    (
        "the form could not be read (too large?)",
        "无法读取表单（内容是否过多？）",
        "無法讀取表格（內容是否過多？）",
    ),
    (
        "the form is malformed: {}",
        "表单格式有误：{}",
        "表格格式有誤：{}",
    ),
    (
        "a record with these values already exists",
        "已有相同内容的记录",
        "已有相同內容的記錄",
    ),
    // Values of any form.
    ("must not be negative", "不能为负数", "不能為負數"),
    (
        "must be a whole amount, like 30000",
        "须为整数金额，例如 30000",
        "須為整數金額，例如 30000",
    ),
    ("must be at most {}", "最多为 {}", "最多為 {}"),
    (
        "must be between 0 and 60",
        "须介于 0 至 60 之间",
        "須介於 0 至 60 之間",
    ),
    (
        "must be between 0 and {}",
        "须介于 0 至 {} 之间",
        "須介於 0 至 {} 之間",
    ),
    (
        "must be between 1 and 5",
        "须介于 1 至 5 之间",
        "須介於 1 至 5 之間",
    ),
    ("must list at most {} entries", "最多列出 {} 项", "最多列出 {} 項"),
    (
        "must list at most {} skills",
        "最多列出 {} 项技能",
        "最多列出 {} 項技能",
    ),
    (
        "must list at most 20 languages",
        "最多列出 20 种语言",
        "最多列出 20 種語言",
    ),
    ("is listed twice", "重复列出", "重複列出"),
    (
        "must be at most {}; narrow the query to see further",
        "最多为 {}；请缩小查询范围以查看更多",
        "最多為 {}；請縮小查詢範圍以查看更多",
    ),
    (
        "must be an ISO 3166-1 alpha-2 country code in capitals, such as GB or US",
        "须为大写的 ISO 3166-1 二字母国家代码，例如 GB 或 US",
        "須為大寫的 ISO 3166-1 二字母國家代碼，例如 GB 或 US",
    ),
    (
        "must be an ISO 639 code such as en, cmn or yue",
        "须为 ISO 639 语言代码，例如 en、cmn 或 yue",
        "須為 ISO 639 語言代碼，例如 en、cmn 或 yue",
    ),
    (
        "must be a language code such as en, yue or zh",
        "须为语言代码，例如 en、yue 或 zh",
        "須為語言代碼，例如 en、yue 或 zh",
    ),
    ("must not be before 1900", "不能早于 1900 年", "不能早於 1900 年"),
    (
        "must not be in the future",
        "不能是将来的日期",
        "不能是將來的日期",
    ),
    ("must be in the future", "须为将来的时间", "須為將來的時間"),
    (
        "must be a date (YYYY-MM-DD) or an RFC 3339 time",
        "须为日期（YYYY-MM-DD）或 RFC 3339 时间",
        "須為日期（YYYY-MM-DD）或 RFC 3339 時間",
    ),
    (
        "must be an RFC 3339 time or a date (YYYY-MM-DD)",
        "须为 RFC 3339 时间或日期（YYYY-MM-DD）",
        "須為 RFC 3339 時間或日期（YYYY-MM-DD）",
    ),
    (
        "must be a date YYYY-MM-DD between 2000 and 2100",
        "须为 2000 至 2100 年之间的日期（YYYY-MM-DD）",
        "須為 2000 至 2100 年之間的日期（YYYY-MM-DD）",
    ),
    (
        "must be a date between 2000 and 2100",
        "须为 2000 至 2100 年之间的日期",
        "須為 2000 至 2100 年之間的日期",
    ),
    ("1–{} characters", "须为 1 至 {} 个字符", "須為 1 至 {} 個字元"),
    // Registry names.
    ("names no jurisdiction", "不是已登记的地区", "不是已登記的地區"),
    ("names no location", "不是已登记的地点", "不是已登記的地點"),
    ("names no skill", "不是已登记的技能", "不是已登記的技能"),
    (
        "names no skill of the taxonomy",
        "不是技能分类中的技能",
        "不是技能分類中的技能",
    ),
    ("names no qualification", "不是已登记的资历", "不是已登記的資歷"),
    (
        "names no framework level",
        "不是已登记的资历级别",
        "不是已登記的資歷級別",
    ),
    (
        "names no work-authorisation basis",
        "不是已登记的工作许可类别",
        "不是已登記的工作許可類別",
    ),
    ("names no employer", "不是已登记的雇主", "不是已登記的僱主"),
    (
        "is not known to the registry",
        "登记册中没有此项",
        "登記冊中沒有此項",
    ),
    (
        "{} is not a jurisdiction of the registry ({})",
        "{} 不是登记册中的地区（{}）",
        "{} 不是登記冊中的地區（{}）",
    ),
    ("belongs to another jurisdiction", "属于另一地区", "屬於另一地區"),
    (
        "is not in the residence jurisdiction",
        "不在居住地区内",
        "不在居住地區內",
    ),
    ("has no configured exchange rate", "未设定汇率", "未設定匯率"),
    (
        "is needed with salary_min",
        "填写最低薪酬时须选择货币",
        "填寫最低薪酬時須選擇貨幣",
    ),
    // Profiles, credentials and work authorizations.
    (
        "create your profile first (PUT /api/v1/candidates/me)",
        "请先建立个人资料",
        "請先建立個人資料",
    ),
    (
        "create your candidate profile before applying",
        "请先建立求职者资料再申请",
        "請先建立求職者資料再申請",
    ),
    (
        "create your candidate profile before asking for a case",
        "请先建立求职者资料再申请个案服务",
        "請先建立求職者資料再申請個案服務",
    ),
    ("this profile was erased", "此资料已删除", "此資料已刪除"),
    (
        "is not a basis of this jurisdiction",
        "不是该地区的工作许可类别",
        "不是該地區的工作許可類別",
    ),
    (
        "is required for a time-limited basis",
        "有期限的工作许可须填写此项",
        "有期限的工作許可須填寫此項",
    ),
    (
        "set by the agency, not by the candidate",
        "由服务机构设定，求职者不能填写",
        "由服務機構設定，求職者不能填寫",
    ),
    // Consents.
    (
        "an active consent to {} exists; withdraw it first to grant anew",
        "已有有效的同意；如需重新同意，请先撤回",
        "已有有效的同意；如需重新同意，請先撤回",
    ),
    (
        "this consent is withdrawn already",
        "此同意已撤回",
        "此同意已撤回",
    ),
    (
        "is your residence jurisdiction: sharing there needs no cross-border consent",
        "这是您的居住地区：在当地共享无需跨境同意",
        "這是您的居住地區：在當地共享無需跨境同意",
    ),
    // Employers and their members.
    (
        "a unified social credit code has 18 characters",
        "统一社会信用代码为 18 位",
        "統一社會信用代碼為 18 位",
    ),
    (
        "the registry has no registration number form for this jurisdiction",
        "登记册中没有该地区的注册号码格式",
        "登記冊中沒有該地區的註冊號碼格式",
    ),
    (
        "uses a character outside 0-9 and A-Y without I, O, S, V, Z",
        "含有无效字符：只可使用 0-9 及 A-Y（不含 I、O、S、V、Z）",
        "含有無效字元：只可使用 0-9 及 A-Y（不含 I、O、S、V、Z）",
    ),
    (
        "the check character should be {}",
        "校验码应为 {}",
        "校驗碼應為 {}",
    ),
    (
        "a verified employer holds this registration number already; ask its owners to invite you",
        "已有通过核实的雇主使用此注册号码，请联系其负责人邀请您",
        "已有通過核實的僱主使用此註冊號碼，請聯絡其負責人邀請您",
    ),
    (
        "another employer with this registration number is verified already",
        "另一使用此注册号码的雇主已通过核实",
        "另一使用此註冊號碼的僱主已通過核實",
    ),
    (
        "must be owner or recruiter",
        "须为负责人或招聘人员",
        "須為負責人或招聘人員",
    ),
    (
        "only an owner of this employer may do this",
        "只有该雇主的负责人可以进行此操作",
        "只有該僱主的負責人可以進行此操作",
    ),
    (
        "you are not a member of this employer",
        "您不是该雇主的成员",
        "您不是該僱主的成員",
    ),
    (
        "you are a member of this employer already",
        "您已是该雇主的成员",
        "您已是該僱主的成員",
    ),
    (
        "the candidate role may not list employers",
        "求职者账户不能查看雇主列表",
        "求職者帳戶不能查看僱主列表",
    ),
    (
        "only a verified employer may invite members; the agency verifies employers first",
        "雇主须经服务机构核实后才能邀请成员",
        "僱主須經服務機構核實後才能邀請成員",
    ),
    (
        "this address belongs to a member already",
        "此邮箱已属于成员",
        "此電郵已屬於成員",
    ),
    (
        "this invitation was sent to another email address",
        "此邀请发给了另一个电子邮箱",
        "此邀請發給了另一個電郵地址",
    ),
    (
        "the last owner cannot be removed; make another member owner first",
        "不能移除最后一位负责人；请先指定另一成员为负责人",
        "不能移除最後一位負責人；請先指定另一成員為負責人",
    ),
    // Jobs.
    (
        "only members of the employer may post its jobs",
        "只有该雇主的成员可以发布其职位",
        "只有該僱主的成員可以發佈其職位",
    ),
    (
        "only members of the job's employer may change it",
        "只有该职位所属雇主的成员可以修改",
        "只有該職位所屬僱主的成員可以修改",
    ),
    (
        "only members of the job's employer see its applications",
        "只有该职位所属雇主的成员可以查看申请",
        "只有該職位所屬僱主的成員可以查看申請",
    ),
    (
        "only members of the job's employer and agency staff see its matches",
        "只有该职位所属雇主的成员和服务机构人员可以查看配对结果",
        "只有該職位所屬僱主的成員和服務機構人員可以查看配對結果",
    ),
    (
        "a closed job cannot be changed",
        "已关闭的职位不能修改",
        "已關閉的職位不能修改",
    ),
    (
        "only a draft can be published; this job is {}",
        "只有草稿可以发布",
        "只有草稿可以發佈",
    ),
    (
        "only an open job can be closed; this job is {}",
        "只有招聘中的职位可以关闭",
        "只有招聘中的職位可以關閉",
    ),
    (
        "the employer is not verified by the agency yet; jobs can be published once it is",
        "雇主尚未经服务机构核实；核实后才能发布职位",
        "僱主尚未經服務機構核實；核實後才能發佈職位",
    ),
    (
        "has passed; set a later expiry before publishing",
        "已过期；发布前请设定较晚的截止日期",
        "已過期；發佈前請設定較晚的截止日期",
    ),
    (
        "must be at least salary_min",
        "不能低于最低薪酬",
        "不能低於最低薪酬",
    ),
    (
        "must be hour, month or year",
        "须为时薪、月薪或年薪",
        "須為時薪、月薪或年薪",
    ),
    (
        "give either qualification_id or min_level",
        "请选择资历或资历级别，只能选其一",
        "請選擇資歷或資歷級別，只能選其一",
    ),
    (
        "the qualification belongs to {}",
        "该资历属于另一地区（{}）",
        "該資歷屬於另一地區（{}）",
    ),
    // Applications.
    (
        "you have already applied to this job",
        "您已申请此职位",
        "您已申請此職位",
    ),
    (
        "the job is no longer open",
        "此职位已停止招聘",
        "此職位已停止招聘",
    ),
    (
        "an application that is {} cannot become {}",
        "申请的当前阶段不能转为所选阶段",
        "申請的當前階段不能轉為所選階段",
    ),
    (
        "the application changed meanwhile; reload it",
        "申请已被他人更改，请重新载入",
        "申請已被他人更改，請重新載入",
    ),
    (
        "choose a stage of the list",
        "请从列表中选择阶段",
        "請從列表中選擇階段",
    ),
    // Cases.
    (
        "employers have no access to cases",
        "雇主不能查看个案",
        "僱主不能查看個案",
    ),
    (
        "must be an agency officer or admin",
        "须为服务机构的专员或管理员",
        "須為服務機構的專員或管理員",
    ),
    (
        "you already have an unfinished {} case",
        "您已有一个未完成的同类个案",
        "您已有一個未完成的同類個案",
    ),
    (
        "no checklist template for {} yet: an agency admin creates it first",
        "此方向尚无清单模板：须由服务机构管理员先建立",
        "此方向尚無清單範本：須由服務機構管理員先建立",
    ),
    (
        "no such application of this candidate",
        "该求职者没有此申请",
        "該求職者沒有此申請",
    ),
    ("no such candidate", "没有此求职者", "沒有此求職者"),
    ("no such job", "没有此职位", "沒有此職位"),
    (
        "is not the job of the application",
        "不是该申请的职位",
        "不是該申請的職位",
    ),
    (
        "is required unless application_id names an application at offer",
        "除非所选申请已获录用，否则须填写此项",
        "除非所選申請已獲錄用，否則須填寫此項",
    ),
    (
        "must be <FROM>_TO_<TO> over two different jurisdiction codes of the registry (GET /registry/jurisdictions)",
        "须为两个不同地区之间的方向",
        "須為兩個不同地區之間的方向",
    ),
    (
        "must be <FROM>_TO_<TO> over two different jurisdictions of the registry",
        "须为两个不同地区之间的方向",
        "須為兩個不同地區之間的方向",
    ),
    (
        "a case that is {} cannot become {}",
        "个案的当前状态不能转为所选状态",
        "個案的當前狀態不能轉為所選狀態",
    ),
    (
        "a closed case cannot be changed",
        "已结案的个案不能修改",
        "已結案的個案不能修改",
    ),
    (
        "the case is closed: its tasks are final",
        "个案已结案，事项不能再更改",
        "個案已結案，事項不能再更改",
    ),
    (
        "the case changed meanwhile; reload it",
        "个案已被他人更改，请重新载入",
        "個案已被他人更改，請重新載入",
    ),
    (
        "{} is not a work-authorisation basis of {} with a route",
        "{} 不是 {} 有路径可循的工作许可类别",
        "{} 不是 {} 有路徑可循的工作許可類別",
    ),
    // Checklist templates.
    (
        "a template needs at least one item",
        "模板至少需要一个事项",
        "範本至少需要一個事項",
    ),
    ("at most {} items", "最多 {} 个事项", "最多 {} 個事項"),
    (
        "appears twice in the template",
        "在模板中重复出现",
        "在範本中重複出現",
    ),
    (
        "1–64 characters of a-z, 0-9 and _",
        "须为 1 至 64 个 a-z、0-9 或 _ 字符",
        "須為 1 至 64 個 a-z、0-9 或 _ 字元",
    ),
    ("1–300 characters", "须为 1 至 300 个字符", "須為 1 至 300 個字元"),
    ("at most 300 characters", "最多 300 个字符", "最多 300 個字元"),
    (
        "0–{} days after the anchor",
        "须为基准日后 0 至 {} 天",
        "須為基準日後 0 至 {} 天",
    ),
    // Equivalence rules.
    (
        "is not a level of to_jurisdiction",
        "不是目标地区的资历级别",
        "不是目標地區的資歷級別",
    ),
    (
        "is not a qualification of to_jurisdiction",
        "不是目标地区的资历",
        "不是目標地區的資歷",
    ),
    (
        "must differ from the jurisdiction of the source qualification",
        "须与该资历所属地区不同",
        "須與該資歷所屬地區不同",
    ),
    ("must be after effective_from", "须晚于生效日期", "須晚於生效日期"),
    (
        "is required when conditions are given",
        "填写条件时须填写此项",
        "填寫條件時須填寫此項",
    ),
    (
        "is required when no target qualification or level is given",
        "未选择目标资历或级别时须填写此项",
        "未選擇目標資歷或級別時須填寫此項",
    ),
    (
        "rule {} already covers this pair for part of the same period; retire it or change the dates",
        "规则 {} 已在部分相同期间涵盖这两项资历；请先停用该规则或更改日期",
        "規則 {} 已在部分相同期間涵蓋這兩項資歷；請先停用該規則或更改日期",
    ),
    // Searches and alerts.
    (
        "is not a valid search query (check quotes, brackets and field names)",
        "不是有效的搜索条件（请检查引号、括号和字段名）",
        "不是有效的搜尋條件（請檢查引號、括號和欄位名稱）",
    ),
    (
        "{}: `{}:*` is not supported; search for words instead",
        "不支持 `{1}:*`，请改为搜索字词",
        "不支援 `{1}:*`，請改為搜尋字詞",
    ),
    (
        "must be one of: instant, daily, weekly",
        "须为即时、每日或每周",
        "須為即時、每日或每週",
    ),
    (
        "is not used by saved searches: each alert mails the jobs published since the previous one",
        "已保存的搜索不使用此项：每次提醒会发送自上次以来发布的职位",
        "已儲存的搜尋不使用此項：每次提醒會發送自上次以來發佈的職位",
    ),
    (
        "you have {} saved searches, the most one may keep; delete one first",
        "您已保存 {} 个搜索，已达上限；请先删除一个",
        "您已儲存 {} 個搜尋，已達上限；請先刪除一個",
    ),
    (
        crate::search::gate::BUSY,
        "搜索繁忙，请稍后再试",
        "搜尋繁忙，請稍後再試",
    ),
];

/// `message` in `locale`: the English itself, its entry's translation, or the English when no
/// entry has it.
pub fn in_locale(message: &str, locale: Locale) -> Cow<'_, str> {
    if locale == Locale::En {
        return Cow::Borrowed(message);
    }
    // The entry with the most fixed text wins: "must be at most 100 characters" over
    // "must be at most {} characters" over "must be at most {}".
    let best = REFUSALS
        .iter()
        .filter_map(|entry| varying_parts(entry.0, message).map(|parts| (entry, parts)))
        .max_by_key(|(entry, _)| entry.0.len() - 2 * entry.0.matches("{}").count());
    match best {
        Some(((_, simplified, traditional), parts)) => {
            let translation = if locale == Locale::ZhHant {
                traditional
            } else {
                simplified
            };
            Cow::Owned(fill(translation, &parts))
        }
        None => Cow::Borrowed(message),
    }
}

/// Whether an entry's English is exactly `pattern` (the sources' check).
#[cfg(test)]
pub fn has_entry(pattern: &str) -> bool {
    REFUSALS.iter().any(|(english, _, _)| *english == pattern)
}

/// The parts of `message` that `pattern`'s `{}` stand for, when the message has its shape.
fn varying_parts<'m>(pattern: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let mut fixed = pattern.split("{}");
    let first = fixed.next().unwrap_or_default();
    let mut rest = message.strip_prefix(first)?;
    let mut parts = Vec::new();
    let fixed: Vec<&str> = fixed.collect();
    for (i, text) in fixed.iter().enumerate() {
        let last = i + 1 == fixed.len();
        let at = if last {
            // The last fixed text ends the message; what comes before it is the part.
            rest.strip_suffix(text).map(str::len)?
        } else if text.is_empty() {
            return None;
        } else {
            rest.find(text)?
        };
        parts.push(&rest[..at]);
        rest = &rest[at + text.len()..];
    }
    rest.is_empty().then_some(parts)
}

/// `translation` with its `{}` (in order) or `{n}` (the n-th) replaced by `parts`.
fn fill(translation: &str, parts: &[&str]) -> String {
    let mut out = String::with_capacity(translation.len() + 16);
    let mut next = 0;
    let mut rest = translation;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            rest = &rest[open..];
            break;
        };
        let inside = &rest[open + 1..open + close];
        let index = if inside.is_empty() {
            next += 1;
            Some(next - 1)
        } else {
            inside.parse::<usize>().ok()
        };
        match index.and_then(|i| parts.get(i)) {
            Some(part) => out.push_str(part),
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_left_as_it_is() {
        assert_eq!(in_locale("is required", Locale::En), "is required");
    }

    #[test]
    fn a_fixed_refusal_is_translated_in_either_script() {
        assert_eq!(in_locale("is listed twice", Locale::ZhHans), "重复列出");
        assert_eq!(in_locale("is listed twice", Locale::ZhHant), "重複列出");
    }

    #[test]
    fn varying_parts_are_carried_over() {
        assert_eq!(
            in_locale("must be at least 12 characters", Locale::ZhHans),
            "至少需要 12 个字符"
        );
        assert_eq!(
            in_locale("must be one of: candidate, employer", Locale::ZhHant),
            "須為以下之一：candidate, employer"
        );
        assert_eq!(
            in_locale(
                "rule eq-7 already covers this pair for part of the same period; retire it or change the dates",
                Locale::ZhHans
            ),
            "规则 eq-7 已在部分相同期间涵盖这两项资历；请先停用该规则或更改日期"
        );
    }

    #[test]
    fn a_translation_may_take_a_part_by_its_place_or_leave_it_out() {
        assert_eq!(
            in_locale(
                "title: `skill:*` is not supported; search for words instead",
                Locale::ZhHans
            ),
            "不支持 `skill:*`，请改为搜索字词"
        );
        assert_eq!(
            in_locale("only a draft can be published; this job is open", Locale::ZhHant),
            "只有草稿可以發佈"
        );
    }

    #[test]
    fn the_entry_with_the_most_fixed_text_wins() {
        assert_eq!(
            in_locale("must be at most 100 characters", Locale::ZhHans),
            "最多 100 个字符"
        );
        assert_eq!(
            in_locale("must be at most 12 characters", Locale::ZhHans),
            "最多 12 个字符"
        );
        assert_eq!(
            in_locale("must be at most 5000000", Locale::ZhHans),
            "最多为 5000000"
        );
        assert_eq!(
            in_locale("is required for a time-limited basis", Locale::ZhHans),
            "有期限的工作许可须填写此项"
        );
    }

    #[test]
    fn an_unknown_refusal_stays_in_english() {
        assert_eq!(
            in_locale("something no entry has", Locale::ZhHans),
            "something no entry has"
        );
    }

    #[test]
    fn every_translation_takes_no_part_the_english_does_not_have() {
        for (english, simplified, traditional) in REFUSALS {
            let parts = english.matches("{}").count();
            for translation in [simplified, traditional] {
                let sequential = translation.matches("{}").count();
                assert!(
                    sequential <= parts,
                    "{translation} takes more parts than {english}"
                );
                for n in 0..10 {
                    if translation.contains(&format!("{{{n}}}")) {
                        assert!(n < parts, "{translation} takes part {n} that {english} lacks");
                    }
                }
            }
        }
    }

    #[test]
    fn no_english_is_listed_twice() {
        let mut seen = std::collections::HashSet::new();
        for (english, _, _) in REFUSALS {
            assert!(seen.insert(english), "{english} is listed twice");
        }
    }

    #[test]
    fn the_matcher_finds_parts_between_fixed_text() {
        assert_eq!(varying_parts("a {} b {}", "a x b y"), Some(vec!["x", "y"]));
        assert_eq!(varying_parts("{} is {}", "x is y"), Some(vec!["x", "y"]));
        assert_eq!(varying_parts("a {}", "b x"), None);
        assert_eq!(varying_parts("fixed", "fixed more"), None);
    }
}
