//! The pages' words in English, Simplified and Traditional Chinese. Each area of the site keeps
//! its own table (`texts!`), so a missing translation is a compile error, not a blank on a page.

use crate::applications::status::Status;
use crate::cases::status::{CaseStatus, TaskStatus};
use crate::i18n::Locale;

/// `texts!(Name { field: "English", "简体", "繁體"; ... })` declares `Name` with one `&'static str`
/// per field and `Name::of(locale)`.
macro_rules! texts {
    ($name:ident { $($field:ident: $en:expr, $hans:expr, $hant:expr;)* }) => {
        pub struct $name {
            $(pub $field: &'static str,)*
        }

        impl $name {
            pub fn of(locale: $crate::i18n::Locale) -> &'static $name {
                static EN: $name = $name { $($field: $en,)* };
                static HANS: $name = $name { $($field: $hans,)* };
                static HANT: $name = $name { $($field: $hant,)* };
                match locale {
                    $crate::i18n::Locale::En => &EN,
                    $crate::i18n::Locale::ZhHans => &HANS,
                    $crate::i18n::Locale::ZhHant => &HANT,
                }
            }
        }
    };
}
#[allow(unused_imports)] // used by the area pages
pub(crate) use texts;

texts!(Common {
    site: "TalentBridge", "人才桥", "人才橋";
    tagline: "Work across the Shenzhen–Hong Kong boundary", "跨越深港的工作机会", "跨越深港的工作機會";
    skip_to_content: "Skip to content", "跳到正文", "跳到正文";
    main_menu: "Main menu", "主菜单", "主選單";
    language: "Language", "语言", "語言";
    jobs: "Jobs", "职位", "職位";
    my_page: "My page", "我的主页", "我的主頁";
    my_jobs: "My jobs", "我的职位", "我的職位";
    talent: "Talent", "人才", "人才";
    cases: "Cases", "个案", "個案";
    equivalences: "Equivalences", "资历对等", "資歷對等";
    analytics: "Analytics", "数据分析", "數據分析";
    sign_in: "Sign in", "登录", "登入";
    sign_out: "Sign out", "退出", "登出";
    sign_up: "Create an account", "注册", "註冊";
    signed_in_as: "Signed in as", "当前身份", "目前身份";
    email: "Email", "电子邮箱", "電郵地址";
    password: "Password", "密码", "密碼";
    new_password: "New password (at least 12 characters)", "新密码（至少 12 个字符）", "新密碼（至少 12 個字元）";
    next_page: "Next page", "下一页", "下一頁";
    previous_page: "Previous page", "上一页", "上一頁";
    save: "Save", "保存", "儲存";
    not_found_title: "Not found", "未找到", "找不到";
    not_found_text: "There is nothing here, or you may not see it.", "这里没有内容，或您无权查看。", "這裏沒有內容，或您無權查看。";
    forbidden_title: "Not allowed", "不允许", "不允許";
    conflict_title: "That cannot be done now", "暂时无法执行", "暫時無法執行";
    invalid_title: "Please check what you entered", "请检查您输入的内容", "請檢查您輸入的內容";
    error_title: "Something went wrong", "出现错误", "出現錯誤";
    error_text: "The error was recorded. Please try again in a moment.", "错误已记录，请稍后再试。", "錯誤已記錄，請稍後再試。";
    busy_title: "Too many attempts", "尝试次数过多", "嘗試次數過多";
    form_expired: "This form has expired. Reload the page and send it again.", "表单已过期，请刷新页面后重新提交。", "表格已過期，請重新載入頁面後再提交。";
    back_home: "Back to the start page", "返回首页", "返回首頁";
    bad_credentials: "The email or password is wrong, or the email is not yet verified.", "邮箱或密码错误，或邮箱尚未验证。", "電郵或密碼錯誤，或電郵尚未驗證。";
    sign_in_intro: "Sign in to apply, to manage your postings or to work on cases.", "登录后可申请职位、管理招聘或处理个案。", "登入後可申請職位、管理招聘或處理個案。";
    role_candidate: "job seeker", "求职者", "求職者";
    role_employer: "employer", "雇主", "僱主";
    role_agency_officer: "agency officer", "服务机构人员", "服務機構人員";
    role_admin: "administrator", "管理员", "管理員";
    verify_email_title: "Verify your email", "验证邮箱", "驗證電郵";
    verify_email_text: "Confirm that this email address is yours.", "请确认此邮箱属于您。", "請確認此電郵地址屬於您。";
    verify_email_button: "Verify my email", "验证邮箱", "驗證電郵";
    verified_text: "Your email is verified. You can sign in now.", "邮箱已验证，现在可以登录。", "電郵已驗證，現在可以登入。";
    forgot_title: "Forgot your password?", "忘记密码？", "忘記密碼？";
    forgot_text: "Enter your email and we will send you a link to choose a new password.", "输入您的邮箱，我们会发送设置新密码的链接。", "輸入您的電郵，我們會發送設定新密碼的連結。";
    forgot_button: "Send the link", "发送链接", "發送連結";
    forgot_sent: "If an account uses this email, a link is on its way. It works for a limited time.", "如该邮箱已注册，链接已发出，限时有效。", "如該電郵已註冊，連結已發出，限時有效。";
    reset_title: "Choose a new password", "设置新密码", "設定新密碼";
    reset_done: "Your password is changed. Sign in with the new one.", "密码已更改，请用新密码登录。", "密碼已更改，請用新密碼登入。";
    invitation_title: "Join an employer", "加入雇主", "加入僱主";
    invitation_text: "Accept the invitation to act for this employer on TalentBridge.", "接受邀请，在人才桥上代表该雇主。", "接受邀請，在人才橋上代表該僱主。";
    invitation_button: "Accept the invitation", "接受邀请", "接受邀請";
    invitation_done: "You are now a member of the employer.", "您已成为该雇主的成员。", "您已成為該僱主的成員。";
    stage_submitted: "Submitted", "已提交", "已提交";
    stage_screening: "Screening", "筛选中", "篩選中";
    stage_interview: "Interview", "面试", "面試";
    stage_offer: "Offer", "录用通知", "錄用通知";
    stage_hired: "Hired", "已录用", "已錄用";
    stage_rejected: "Not selected", "未获选", "未獲選";
    stage_withdrawn: "Withdrawn", "已撤回", "已撤回";
    status_open: "Open", "待处理", "待處理";
    status_in_progress: "In progress", "处理中", "處理中";
    status_waiting_on_candidate: "Waiting on the candidate", "等待求职者", "等待求職者";
    status_resolved: "Resolved", "已解决", "已解決";
    status_closed: "Closed", "已关闭", "已關閉";
    task_todo: "To do", "待办", "待辦";
    task_doing: "Doing", "进行中", "進行中";
    task_done: "Done", "已完成", "已完成";
    task_not_applicable: "Not applicable", "不适用", "不適用";
    lang_en: "English", "英语", "英語";
    lang_cmn: "Mandarin", "普通话", "普通話";
    lang_yue: "Cantonese", "粤语", "粵語";
    missing_token: "The link is incomplete: open it again from the email.", "链接不完整，请从邮件中重新打开。", "連結不完整，請從電郵中重新開啟。";
});

impl Common {
    pub fn role(&self, role: &crate::auth::Role) -> &'static str {
        use crate::auth::Role;
        match role {
            Role::Candidate => self.role_candidate,
            Role::Employer => self.role_employer,
            Role::AgencyOfficer => self.role_agency_officer,
            Role::Admin => self.role_admin,
        }
    }
}

impl Common {
    /// A language's name (ISO 639-3 code), or `""` for a code with no name here.
    pub fn language(&self, code: &str) -> &'static str {
        match code {
            "en" | "eng" => self.lang_en,
            "cmn" => self.lang_cmn,
            "yue" => self.lang_yue,
            _ => "",
        }
    }

    /// A language's name, or its code when it has none here.
    pub fn language_or_code<'a>(&self, code: &'a str) -> &'a str {
        match self.language(code) {
            "" => code,
            name => name,
        }
    }

    /// A case's status, as the candidate's page and the agency's pages name it.
    pub fn case_status(&self, status: &CaseStatus) -> &'static str {
        match status {
            CaseStatus::Open => self.status_open,
            CaseStatus::InProgress => self.status_in_progress,
            CaseStatus::WaitingOnCandidate => self.status_waiting_on_candidate,
            CaseStatus::Resolved => self.status_resolved,
            CaseStatus::Closed => self.status_closed,
        }
    }

    pub fn task_status(&self, status: &TaskStatus) -> &'static str {
        match status {
            TaskStatus::Todo => self.task_todo,
            TaskStatus::Doing => self.task_doing,
            TaskStatus::Done => self.task_done,
            TaskStatus::NotApplicable => self.task_not_applicable,
        }
    }

    /// A case status given as its stored value (an audit entry's, a count's key): its name, or
    /// the value itself if it is none.
    pub fn recorded_case_status<'a>(&self, value: &'a str) -> &'a str {
        CaseStatus::parse(value).map_or(value, |s| self.case_status(&s))
    }

    /// An application's stage, as people call it.
    pub fn stage(&self, status: Status) -> &'static str {
        match status {
            Status::Submitted => self.stage_submitted,
            Status::Screening => self.stage_screening,
            Status::Interview => self.stage_interview,
            Status::Offer => self.stage_offer,
            Status::Hired => self.stage_hired,
            Status::Rejected => self.stage_rejected,
            Status::Withdrawn => self.stage_withdrawn,
        }
    }
}

/// The name of a registry entry in the page's language (the registry keeps all three).
pub fn pick<'a>(locale: Locale, en: &'a str, zh_hans: &'a str, zh_hant: &'a str) -> &'a str {
    let text = match locale {
        Locale::En => en,
        Locale::ZhHans => zh_hans,
        Locale::ZhHant => zh_hant,
    };
    if text.is_empty() { en } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_own_words() {
        assert_eq!(Common::of(Locale::En).sign_in, "Sign in");
        assert_eq!(Common::of(Locale::ZhHans).sign_in, "登录");
        assert_eq!(Common::of(Locale::ZhHant).sign_in, "登入");
    }

    #[test]
    fn a_missing_translation_falls_back_to_english() {
        assert_eq!(pick(Locale::ZhHant, "Shenzhen", "深圳", ""), "Shenzhen");
        assert_eq!(pick(Locale::ZhHans, "Shenzhen", "深圳", ""), "深圳");
    }
}
