//! The words of the seeker's profile and holdings pages.

use crate::web::text::texts;

texts!(ProfileTexts {
    create_title: "Create my profile", "创建个人资料", "建立個人資料";
    edit_title: "Edit my profile", "编辑个人资料", "編輯個人資料";
    intro: "Employers see your profile only if you let them, and across the boundary only while you consent. Your nationality and children are seen by you and the agency alone.", "只有在您允许时雇主才能看到您的资料；跨境时还需您的同意。国籍和子女信息仅您本人及服务机构可见。", "只有在您允許時僱主才能看到您的資料；跨境時還需您的同意。國籍和子女資料僅您本人及服務機構可見。";
    back: "Back to my page", "返回我的主页", "返回我的主頁";
    about: "About you", "关于您", "關於您";
    display_name: "Name shown", "显示名称", "顯示名稱";
    headline: "Headline (e.g. Risk analyst, five years in banking)", "一句话简介（如：风险分析师，银行业五年）", "一句話簡介（如：風險分析師，銀行業五年）";
    summary: "Summary", "个人简介", "個人簡介";
    residence: "Where you live", "居住地", "居住地";
    location: "City or district (optional)", "城市或地区（选填）", "城市或地區（選填）";
    none: "— none —", "— 不选 —", "— 不選 —";
    nationality: "Nationality (two-letter code, e.g. CN, GB; optional)", "国籍（两个字母的代码，如 CN、GB；选填）", "國籍（兩個字母的代碼，如 CN、GB；選填）";
    nationality_hint: "Hong Kong and Macao residents of Chinese nationality enter CN.", "具有中国国籍的香港及澳门居民请填写 CN。", "具有中國國籍的香港及澳門居民請填寫 CN。";
    dependent_children: "Children who would move with you (optional)", "随行子女人数（选填）", "隨行子女人數（選填）";
    languages: "Languages", "语言", "語言";
    language: "Language", "语言", "語言";
    level: "Level (1 basic – 5 native)", "程度（1 基础 – 5 母语）", "程度（1 基礎 – 5 母語）";
    skills: "Skills", "技能", "技能";
    skill: "Skill", "技能", "技能";
    skills_hint: "Type a skill in any script; suggestions appear as you type. Leave a row empty to remove it.", "可用任何文字输入技能，输入时会出现建议。留空一行即可删除该技能。", "可用任何文字輸入技能，輸入時會出現建議。留空一行即可刪除該技能。";
    skill_level: "Level (1–5)", "程度（1–5）", "程度（1–5）";
    years: "Years", "年数", "年數";
    unknown_skill: "No such skill in the registry: choose one of the suggestions.", "登记册中没有此技能，请从建议中选择。", "登記冊中沒有此技能，請從建議中選擇。";
    same_skill: "This skill is listed twice.", "此技能重复。", "此技能重複。";
    wishes: "Where and for what you would work", "期望的工作地点与待遇", "期望的工作地點與待遇";
    desired_jurisdictions: "Where you would work", "愿意工作的地区", "願意工作的地區";
    desired_locations: "Preferred places (optional; choose several with Ctrl or ⌘)", "首选地点（选填；按住 Ctrl 或 ⌘ 可多选）", "首選地點（選填；按住 Ctrl 或 ⌘ 可多選）";
    salary_amount: "Salary expected (optional)", "期望薪酬（选填）", "期望薪酬（選填）";
    currency: "Currency", "货币", "貨幣";
    period: "Per", "计薪周期", "計薪週期";
    period_hour: "hour", "每小时", "每小時";
    period_month: "month", "每月", "每月";
    period_year: "year", "每年", "每年";
    whole_number: "Enter a whole number, e.g. 30000.", "请输入整数，例如 30000。", "請輸入整數，例如 30000。";
    visibility: "Who may see your profile", "谁可以看到您的资料", "誰可以看到您的資料";
    visibility_employers: "Employers (across the boundary only while you consent)", "雇主（跨境时仅在您同意期间）", "僱主（跨境時僅在您同意期間）";
    visibility_private: "Only you and the agency", "仅您本人及服务机构", "僅您本人及服務機構";
    problems: "Some fields need your attention:", "以下内容需要修改：", "以下內容需要修改：";
    holdings_title: "Qualifications and permits", "学历与工作许可", "學歷與工作許可";
    holdings_intro: "The agency checks each entry. What you hold decides what your qualifications count for across the boundary and which routes let you work there.", "服务机构会核实每一项。您持有的学历与许可决定其在境外的认可程度，以及哪些途径可让您在当地工作。", "服務機構會核實每一項。您持有的學歷與許可決定其在境外的認可程度，以及哪些途徑可讓您在當地工作。";
    need_profile: "Create your profile first.", "请先创建个人资料。", "請先建立個人資料。";
    credentials: "Qualifications", "学历资历", "學歷資歷";
    qualification: "Qualification", "学历资历", "學歷資歷";
    awarded_on: "Awarded on (optional)", "获得日期（选填）", "獲得日期（選填）";
    add_credential: "Add the qualification", "添加学历", "加入學歷";
    no_credentials: "No qualifications yet.", "暂无学历资历。", "暫無學歷資歷。";
    authorizations: "Rights to work", "工作许可", "工作許可";
    basis: "Basis", "依据", "依據";
    valid_until: "Valid until (needed for a time-limited permit)", "有效期至（限期许可必填）", "有效期至（限期許可必填）";
    add_authorization: "Add the right to work", "添加工作许可", "加入工作許可";
    no_authorizations: "No rights to work recorded.", "暂无工作许可记录。", "暫無工作許可紀錄。";
    status: "Status", "状态", "狀態";
    status_pending: "Awaiting the agency's check", "等待服务机构核实", "等待服務機構核實";
    status_verified: "Verified", "已核实", "已核實";
    status_rejected: "Not accepted", "未获认可", "未獲認可";
    remove: "Remove", "删除", "刪除";
    remove_confirm: "Remove this entry?", "确定删除此项？", "確定刪除此項？";
    choose: "Choose…", "请选择…", "請選擇…";
    date_format: "Enter a date as YYYY-MM-DD.", "请按 YYYY-MM-DD 格式输入日期。", "請按 YYYY-MM-DD 格式輸入日期。";
});

impl ProfileTexts {
    pub fn period(&self, period: &str) -> &'static str {
        match period {
            "hour" => self.period_hour,
            "year" => self.period_year,
            _ => self.period_month,
        }
    }

    pub fn verification(&self, status: &str) -> &'static str {
        match status {
            "verified" => self.status_verified,
            "rejected" => self.status_rejected,
            _ => self.status_pending,
        }
    }
}
