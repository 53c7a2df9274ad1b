//! The agency pages' words, and the labels of the values they show (statuses, categories,
//! relations, timeline actions) in the page's language.

use crate::web::text::texts;

texts!(AgencyTexts {
    board_title: "Case board", "个案看板", "個案看板";
    board_intro: "In each group, cases with an overdue task come first.", "每组中，有逾期任务的个案排在最前。", "每組中，有逾期任務的個案排在最前。";
    status: "Status", "状态", "狀態";
    any_status: "Any status", "任何状态", "任何狀態";
    only_overdue: "Only cases with an overdue task", "只看有逾期任务的个案", "只看有逾期任務的個案";
    show: "Show", "显示", "顯示";
    unassigned: "Unassigned", "未分配", "未分配";
    assigned_to_me: "Assigned to me", "分配给我", "分配給我";
    overdue: "Overdue", "逾期", "逾期";
    no_cases: "No case matches.", "没有符合条件的个案。", "沒有符合條件的個案。";
    direction: "Direction", "方向", "方向";
    candidate: "Candidate", "求职者", "求職者";
    summary: "Summary", "摘要", "摘要";
    tasks_done: "tasks done", "项任务已完成", "項任務已完成";
    updated: "Updated", "更新于", "更新於";
    shown: "Cases {from}–{to} of {total}", "第 {from}–{to} 个个案，共 {total} 个", "第 {from}–{to} 個個案，共 {total} 個";
    erased_profile: "(erased profile)", "（资料已删除）", "（資料已刪除）";
    unknown_person: "(unknown)", "（未知）", "（未知）";
    cat_permit: "Permit or visa", "签证或许可", "簽證或許可";
    cat_credential: "Credentials", "学历资历认证", "學歷資歷認證";
    cat_licensing: "Professional licence", "执业资格", "執業資格";
    cat_social_security: "Social security", "社会保障", "社會保障";
    cat_medical: "Medical cover", "医疗保障", "醫療保障";
    cat_schooling: "Schooling", "子女教育", "子女教育";
    cat_tax: "Tax", "税务", "稅務";
    cat_housing: "Housing", "住房", "住房";
    cat_other: "Other", "其他", "其他";
    back_to_board: "Back to the case board", "返回个案看板", "返回個案看板";
    case_of: "Case of", "个案：", "個案：";
    opened_on: "Opened", "开立于", "開立於";
    route: "Route", "路径", "路徑";
    no_route: "None yet", "暂无", "暫無";
    set_route: "Set the route", "设定路径", "設定路徑";
    choose_route: "Choose a route of the destination from the list.", "请从列表中选择目的地的路径。", "請從列表中選擇目的地的路徑。";
    move_to: "Move the case to", "将个案改为", "將個案改為";
    choose_status: "Choose a status from the list.", "请从列表中选择状态。", "請從列表中選擇狀態。";
    move_button: "Move", "更改", "更改";
    status_final: "A closed case is final.", "已关闭的个案不能再更改。", "已關閉的個案不能再更改。";
    assignee: "Assigned to", "负责人", "負責人";
    nobody: "Nobody", "无人", "無人";
    assign_me: "Assign to me", "分配给我", "分配給我";
    assign_to: "Assign to", "分配给", "分配給";
    assign_button: "Assign", "分配", "分配";
    you: "(you)", "（您）", "（您）";
    anyone: "Anyone", "任何人", "任何人";
    p_not_staff: "Choose a member of the agency staff who can sign in.", "请选择可登录的服务机构人员。", "請選擇可登入的服務機構人員。";
    checklist: "Checklist", "清单", "清單";
    no_tasks: "No tasks.", "没有任务。", "沒有任務。";
    due_on: "Due date", "截止日期", "截止日期";
    no_due: "No date yet", "尚无日期", "尚無日期";
    update_task: "Update the task", "更新任务", "更新任務";
    milestones: "Milestones", "里程碑", "里程碑";
    milestones_hint: "Due dates count from these dates. An empty field removes its date.", "截止日期按这些日期计算。留空即删除该日期。", "截止日期按這些日期計算。留空即刪除該日期。";
    m_offer_accepted: "Offer accepted", "接受录用", "接受聘用";
    m_visa_approved: "Visa approved", "签证获批", "簽證獲批";
    m_arrival: "Arrival", "抵达", "抵達";
    m_employment_start: "Employment starts", "入职", "入職";
    save_milestones: "Save the milestones", "保存里程碑", "儲存里程碑";
    bad_date: "Enter a date as YYYY-MM-DD between 2000 and 2100.", "请输入 2000 至 2100 年之间的日期（YYYY-MM-DD）。", "請輸入 2000 至 2100 年之間的日期（YYYY-MM-DD）。";
    notes: "Notes", "备注", "備註";
    no_notes: "No notes yet.", "暂无备注。", "暫無備註。";
    add_note: "Add a note", "添加备注", "新增備註";
    note_text: "Note", "备注内容", "備註內容";
    visible_to_candidate: "Visible to the candidate", "求职者可见", "求職者可見";
    internal: "Internal", "内部", "內部";
    note_required: "Write the note (up to 10,000 characters).", "请填写备注（最多 10,000 个字符）。", "請填寫備註（最多 10,000 個字元）。";
    timeline: "Timeline", "时间线", "時間線";
    no_timeline: "Nothing recorded yet.", "暂无记录。", "暫無記錄。";
    by: "by", "操作人：", "操作人：";
    system: "the system", "系统", "系統";
    act_opened: "Case opened", "开立个案", "開立個案";
    act_status_changed: "Status changed", "状态变更", "狀態變更";
    act_assigned: "Assignee changed", "负责人变更", "負責人變更";
    act_task_changed: "Task updated", "任务更新", "任務更新";
    act_note_added: "Note for the candidate added", "添加了求职者可见的备注", "新增了求職者可見的備註";
    act_internal_note_added: "Internal note added", "添加了内部备注", "新增了內部備註";
    act_milestones_changed: "Milestones changed", "里程碑变更", "里程碑變更";
    act_route_changed: "Route changed", "路径变更", "路徑變更";
    act_other: "Change", "变更", "變更";
    eq_title: "Equivalence rules", "资历对等规则", "資歷對等規則";
    eq_intro: "How a qualification of one jurisdiction counts in another. A retired rule is kept with its history.", "一个地区的资历在另一地区如何认可。停用的规则连同历史记录一并保留。", "一個地區的資歷在另一地區如何認可。停用的規則連同歷史記錄一併保留。";
    rule_active: "In force", "生效中", "生效中";
    rule_scheduled: "Scheduled", "待生效", "待生效";
    rule_retired: "Retired", "已停用", "已停用";
    rule_all: "All", "全部", "全部";
    rules: "Rules", "规则", "規則";
    from_qualification: "Qualification", "资历", "資歷";
    counts_as: "Counts as", "对等于", "對等於";
    relation: "Relation", "关系", "關係";
    rel_equivalent: "Equivalent", "等同", "等同";
    rel_comparable: "Comparable", "可比", "可比";
    rel_partial: "Partly recognised", "部分认可", "部分認可";
    authority: "Authority", "认可机构", "認可機構";
    source: "Source (optional)", "依据（可选）", "依據（可選）";
    effective_from: "In force from", "生效日期", "生效日期";
    effective_from_hint: "Empty: today.", "留空即今天。", "留空即今天。";
    effective_to: "No longer in force from (optional)", "失效日期（可选）", "失效日期（可選）";
    period: "Period", "有效期", "有效期";
    verify_before_use: "Verify before use", "使用前须核实", "使用前須核實";
    retire: "Retire", "停用", "停用";
    retire_confirm: "Retire this rule from today?", "确定自今天起停用此规则？", "確定自今天起停用此規則？";
    no_rules: "No rules.", "没有规则。", "沒有規則。";
    new_rule: "New rule", "新增规则", "新增規則";
    to_qualification: "Target qualification (optional)", "目标资历（可选）", "目標資歷（可選）";
    to_jurisdiction: "Target jurisdiction", "目标地区", "目標地區";
    from_target: "From the target qualification or level", "按目标资历或级别", "按目標資歷或級別";
    to_level: "Target framework level (optional)", "目标资历级别（可选）", "目標資歷級別（可選）";
    none_option: "None", "无", "無";
    choose: "Choose…", "请选择…", "請選擇…";
    conditions_en: "Conditions in English (optional)", "条件（英文，可选）", "條件（英文，可選）";
    conditions_zh_hans: "Conditions in Simplified Chinese (optional)", "条件（简体中文，可选）", "條件（簡體中文，可選）";
    conditions_zh_hant: "Conditions in Traditional Chinese (optional)", "条件（繁体中文，可选）", "條件（繁體中文，可選）";
    create_rule: "Create the rule", "创建规则", "建立規則";
    rule_created: "The rule is created.", "规则已创建。", "規則已建立。";
    rule_retired_notice: "The rule is retired.", "规则已停用。", "規則已停用。";
    rule_updated: "The rule is saved.", "规则已保存。", "規則已儲存。";
    edit_rule: "Edit", "编辑", "編輯";
    edit_rule_title: "Edit the rule", "编辑规则", "編輯規則";
    save_rule: "Save the rule", "保存规则", "儲存規則";
    back_to_rules: "Back to the rules", "返回规则列表", "返回規則列表";
    from_fixed: "The qualification a rule starts from cannot change: for another one, create another rule.", "规则所针对的资历不能更改；如需其他资历，请另建规则。", "規則所針對的資歷不能更改；如需其他資歷，請另建規則。";
    rule_conflict: "Another rule covers this pair for part of the same period: retire it or change the dates.", "已有规则在同一期间涵盖这组资历：请先停用该规则或更改日期。", "已有規則在同一期間涵蓋這組資歷：請先停用該規則或更改日期。";
    required: "This is required.", "此项必填。", "此項必填。";
    p_no_qualification: "No such qualification.", "没有此资历。", "沒有此資歷。";
    p_no_level: "No such framework level.", "没有此资历级别。", "沒有此資歷級別。";
    p_no_jurisdiction: "No such jurisdiction.", "没有此地区。", "沒有此地區。";
    p_target_needed: "Choose a target jurisdiction, qualification or level.", "请选择目标地区、资历或级别。", "請選擇目標地區、資歷或級別。";
    p_not_of_target: "It is not of the target jurisdiction.", "不属于目标地区。", "不屬於目標地區。";
    p_same_jurisdiction: "Must differ from the qualification's own jurisdiction.", "须与该资历所属地区不同。", "須與該資歷所屬地區不同。";
    p_after_from: "Must be after the start date.", "须晚于生效日期。", "須晚於生效日期。";
    p_too_long: "This is too long.", "内容过长。", "內容過長。";
    p_conditions_en: "Give the conditions in English too.", "请同时填写英文条件。", "請同時填寫英文條件。";
    an_title: "Analytics", "数据分析", "數據分析";
    an_intro: "Counts over the marketplace and the agency's cases, as of now.", "平台与服务机构个案的最新统计。", "平台與服務機構個案的最新統計。";
    figures: "Key figures", "主要数字", "主要數字";
    candidates: "Candidates", "求职者", "求職者";
    employers: "Employers", "雇主", "僱主";
    verified_employers: "Verified employers", "已验证雇主", "已驗證僱主";
    open_jobs: "Open jobs", "在招职位", "在招職位";
    overdue_tasks: "Overdue tasks", "逾期任务", "逾期任務";
    median_days: "Median days to resolve a case", "个案解决天数中位数", "個案解決天數中位數";
    none_yet: "None yet", "暂无", "暫無";
    cases_by_status: "Cases by status", "按状态划分的个案", "按狀態劃分的個案";
    cases_by_direction: "Cases by direction", "按方向划分的个案", "按方向劃分的個案";
    apps_by_status: "Applications by status", "按状态划分的申请", "按狀態劃分的申請";
    skill_gap: "Skill gap: open jobs against candidates", "技能缺口：在招职位与求职者", "技能缺口：在招職位與求職者";
    skill_gap_intro: "The skills where openings most outnumber people (the first 12).", "职位数量最超出人数的技能（前 12 项）。", "職位數量最超出人數的技能（前 12 項）。";
    skill: "Skill", "技能", "技能";
    jurisdiction: "Jurisdiction", "地区", "地區";
    all_jurisdictions: "All jurisdictions", "全部地区", "全部地區";
    ratio: "Openings per candidate", "每名求职者对应职位数", "每名求職者對應職位數";
    number: "Number", "数量", "數量";
    no_data: "No data yet.", "暂无数据。", "暫無數據。";
    chart_figures: "The chart's figures", "图表数据", "圖表數據";
});

impl AgencyTexts {
    pub fn category<'a>(&self, category: &'a str) -> &'a str {
        match category {
            "permit" => self.cat_permit,
            "credential" => self.cat_credential,
            "licensing" => self.cat_licensing,
            "social_security" => self.cat_social_security,
            "medical" => self.cat_medical,
            "schooling" => self.cat_schooling,
            "tax" => self.cat_tax,
            "housing" => self.cat_housing,
            "other" => self.cat_other,
            other => other,
        }
    }

    pub fn relation<'a>(&self, relation: &'a str) -> &'a str {
        match relation {
            "equivalent" => self.rel_equivalent,
            "comparable" => self.rel_comparable,
            "partial" => self.rel_partial,
            other => other,
        }
    }

    pub fn rule_status<'a>(&self, status: &'a str) -> &'a str {
        match status {
            "active" => self.rule_active,
            "scheduled" => self.rule_scheduled,
            "retired" => self.rule_retired,
            "all" => self.rule_all,
            other => other,
        }
    }

    pub fn action(&self, action: &str) -> &'static str {
        match action {
            "case.opened" => self.act_opened,
            "case.status_changed" => self.act_status_changed,
            "case.assigned" => self.act_assigned,
            "case.task_changed" => self.act_task_changed,
            "case.note_added" => self.act_note_added,
            "case.internal_note_added" => self.act_internal_note_added,
            "case.milestones_changed" => self.act_milestones_changed,
            "case.route_changed" => self.act_route_changed,
            _ => self.act_other,
        }
    }

    pub fn milestone(&self, name: &str) -> &'static str {
        match name {
            "offer_accepted" => self.m_offer_accepted,
            "visa_approved" => self.m_visa_approved,
            "arrival" => self.m_arrival,
            _ => self.m_employment_start,
        }
    }

    /// A service's problem with a field, in the page's language where it is a known one.
    pub fn problem<'a>(&self, message: &'a str) -> &'a str {
        match message {
            "is required" => self.required,
            "names no qualification" => self.p_no_qualification,
            "names no framework level" => self.p_no_level,
            "names no jurisdiction" => self.p_no_jurisdiction,
            "is required when no target qualification or level is given" => self.p_target_needed,
            "is not a qualification of to_jurisdiction" | "is not a level of to_jurisdiction" => {
                self.p_not_of_target
            }
            "must differ from the jurisdiction of the source qualification" => self.p_same_jurisdiction,
            "must be after effective_from" => self.p_after_from,
            "must be an agency officer or admin" => self.p_not_staff,
            m if m.contains("is not a work-authorisation basis of") => self.choose_route,
            "is required when conditions are given" => self.p_conditions_en,
            m if m.starts_with("must be at most") => self.p_too_long,
            m if m.starts_with("must be a date") => self.bad_date,
            other => other,
        }
    }

    /// "Cases 1–20 of 35" in the page's language.
    pub fn shown(&self, from: i64, to: i64, total: i64) -> String {
        self.shown
            .replace("{from}", &from.to_string())
            .replace("{to}", &to.to_string())
            .replace("{total}", &total.to_string())
    }
}
