//! The employer's pages: their organisations (register one; members and invitations), their
//! jobs (post a draft, edit, publish, close), each job's applicants by pipeline stage, and
//! talent search. Every page calls the services the API calls, with the
//! signed-in person, so ownership and the consent rule hold here exactly as there.

mod applicants;
mod edit_job;
mod job_form;
mod jobs;
mod members;
mod new_job;
mod register;
mod talent;

use actix_web::{HttpResponse, web};

use super::page::Page;
use super::skills;
use crate::applications::status::Status;
use crate::auth::{AuthUser, Role};
use crate::employers::model::MemberRole;
use crate::error::AppError;
use crate::jobs::status::JobStatus;
use crate::web::text::texts;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/employer/jobs").get(jobs::list))
        .service(
            web::resource("/employer/jobs/new")
                .get(new_job::form)
                .post(new_job::create),
        )
        .service(
            web::resource("/employer/jobs/{id}/edit")
                .get(edit_job::form)
                .post(edit_job::update),
        )
        .service(web::resource("/employer/jobs/{id}/publish").post(jobs::publish))
        .service(web::resource("/employer/jobs/{id}/close").post(jobs::close))
        .service(web::resource("/employer/jobs/{id}/applicants").get(applicants::list))
        .service(web::resource("/employer/applications").get(applications))
        .service(web::resource("/employer/applications/{id}/stage").post(applicants::move_stage))
        .service(web::resource("/employer/talent").get(talent::search))
        // The literal path first, so `new` is never taken for an organisation's id.
        .service(
            web::resource("/employer/organisations/new")
                .get(register::form)
                .post(register::create),
        )
        .service(web::resource("/employer/organisations/{id}").get(members::show))
        .service(web::resource("/employer/organisations/{id}/invitations").post(members::invite))
        .service(
            web::resource("/employer/organisations/{id}/invitations/{invitation_id}/cancel")
                .post(members::cancel),
        )
        .service(
            web::resource("/employer/organisations/{id}/members/{user_id}/remove").post(members::remove),
        );
}

/// The emails about applications link here: the applicants are under each job.
async fn applications(page: Page) -> HttpResponse {
    page.redirect("/employer/jobs")
}

/// The signed-in employer account; others are sent to sign in (anonymous) or refused.
fn employer_user(page: &Page) -> Result<AuthUser, AppError> {
    let user = page.signed_in()?;
    user.require(&[Role::Employer])?;
    Ok(user.clone())
}

texts!(EmployerTexts {
    jobs_title: "Your jobs", "我的职位", "我的職位";
    post_job: "Post a job", "发布职位", "刊登職位";
    no_employer: "You are not a member of any employer yet: register your organisation, or ask its owner to invite you.", "您尚未加入任何雇主：请登记您的机构，或请其负责人邀请您。", "您尚未加入任何僱主：請登記您的機構，或請其負責人邀請您。";
    no_jobs: "No jobs yet.", "暂无职位。", "暫無職位。";
    verified: "Verified by the agency", "已通过服务机构核实", "已通過服務機構核實";
    unverified: "Awaiting the agency's verification: drafts can be published once it is verified.", "等待服务机构核实：核实后才能发布草稿。", "等待服務機構核實：核實後才能發佈草稿。";
    status: "Status", "状态", "狀態";
    status_draft: "Draft", "草稿", "草稿";
    status_open: "Open", "招聘中", "招聘中";
    status_closed: "Closed", "已关闭", "已關閉";
    status_expired: "Expired", "已过期", "已過期";
    applicants: "Applicants", "申请人", "申請人";
    publish: "Publish", "发布", "發佈";
    close: "Close", "关闭", "關閉";
    confirm_close: "Close this job? Candidates can no longer apply, and it cannot be reopened.", "确定关闭此职位？求职者将无法再申请，且不能重新开放。", "確定關閉此職位？求職者將無法再申請，且不能重新開放。";
    expires: "Closes on", "截止日期", "截止日期";
    created: "Created", "创建于", "建立於";
    new_job_title: "Post a job", "发布职位", "刊登職位";
    draft_note: "The job is saved as a draft. Publish it from your jobs when it is ready.", "职位将保存为草稿，准备好后可在“我的职位”中发布。", "職位將儲存為草稿，準備好後可在「我的職位」中發佈。";
    problems: "Please correct the problems marked below.", "请更正下方标出的问题。", "請更正下方標示的問題。";
    employer: "Employer", "雇主", "僱主";
    title: "Job title", "职位名称", "職位名稱";
    description: "Description", "职位描述", "職位描述";
    location: "Location", "工作地点", "工作地點";
    choose: "Choose…", "请选择…", "請選擇…";
    employment_type: "Employment type", "雇佣类型", "僱用類型";
    full_time: "Full time", "全职", "全職";
    part_time: "Part time", "兼职", "兼職";
    contract: "Contract", "合同工", "合約";
    internship: "Internship", "实习", "實習";
    salary: "Salary", "薪酬", "薪酬";
    salary_min: "Salary from", "最低薪酬", "最低薪酬";
    salary_max: "Salary up to", "最高薪酬", "最高薪酬";
    currency: "Currency", "币种", "貨幣";
    period: "Paid per", "计薪周期", "計薪週期";
    per_hour: "hour", "小时", "小時";
    per_month: "month", "月", "月";
    per_year: "year", "年", "年";
    sponsorship: "We sponsor a work permit", "我们可协助办理工作许可", "我們可協助申請工作許可";
    expires_optional: "Closes on (optional)", "截止日期（可选）", "截止日期（可選）";
    skills: "Skills asked for", "所需技能", "所需技能";
    skills_hint: "Type a skill in English or Chinese and pick a suggestion. Name at least one.", "用中文或英文输入技能并选择建议项，至少填写一项。", "用中文或英文輸入技能並選擇建議項，至少填寫一項。";
    skill: "Skill", "技能", "技能";
    min_level: "Minimum level (1–5)", "最低水平（1–5）", "最低水平（1–5）";
    save_draft: "Save as draft", "保存为草稿", "儲存為草稿";
    whole_number: "Enter a whole number, such as 30000.", "请输入整数，例如 30000。", "請輸入整數，例如 30000。";
    need_skill: "Name at least one skill.", "请至少填写一项技能。", "請至少填寫一項技能。";
    unknown_skill: "No skill of the list is called this: pick one of the suggestions.", "技能列表中没有这一项，请从建议中选择。", "技能列表中沒有這一項，請從建議中選擇。";
    same_skill: "This skill is already listed.", "此技能已列出。", "此技能已列出。";
    choose_employer: "Choose one of your employers.", "请选择您所属的雇主。", "請選擇您所屬的僱主。";
    applicants_title: "Applicants", "申请人", "申請人";
    back_to_jobs: "Back to your jobs", "返回我的职位", "返回我的職位";
    no_applicants: "No applications yet.", "暂无申请。", "暫無申請。";
    nobody_here: "None", "无", "無";
    stage_submitted: "New", "新申请", "新申請";
    stage_screening: "Screening", "筛选中", "篩選中";
    stage_interview: "Interview", "面试", "面試";
    stage_offer: "Offer", "录用通知", "錄用通知";
    stage_hired: "Hired", "已录用", "已聘用";
    stage_rejected: "Not taken further", "未获录用", "未獲聘用";
    stage_withdrawn: "Withdrawn", "已撤回", "已撤回";
    hidden_applicant: "Applicant not shown: they live across the boundary and do not currently consent to share their data with your jurisdiction.", "申请人信息不予显示：对方居于境外，目前未同意向贵方所在地区提供个人资料。", "申請人資料不予顯示：對方居於境外，目前未同意向貴方所在地區提供個人資料。";
    lives_in: "Lives in", "居住地", "居住地";
    applied: "Applied", "申请于", "申請於";
    cover_letter: "Cover letter", "求职信", "求職信";
    move_to: "Move to", "转到", "轉到";
    move_button: "Move", "更新", "更新";
    talent_title: "Find talent", "搜寻人才", "搜尋人才";
    talent_intro: "You find only candidates who share their profile with employers and, across the boundary, consent to share it with your jurisdiction.", "您只能找到向雇主公开资料、且（跨境时）同意向贵方所在地区提供资料的求职者。", "您只能找到向僱主公開資料、且（跨境時）同意向貴方所在地區提供資料的求職者。";
    words: "Words", "关键词", "關鍵詞";
    words_hint: "In English, Simplified or Traditional Chinese.", "可用英文、简体或繁体中文。", "可用英文、簡體或繁體中文。";
    lives_in_any: "Anywhere", "不限", "不限";
    language: "Speaks", "语言", "語言";
    any_language: "Any language", "不限", "不限";
    search: "Search", "搜索", "搜尋";
    found: "Candidates found", "找到的求职者", "找到的求職者";
    no_candidates: "No candidate you may see matches.", "没有符合条件且您可查看的求职者。", "沒有符合條件且您可查看的求職者。";
    level: "level", "水平", "水平";
    edit: "Edit", "编辑", "編輯";
    edit_job_title: "Edit the job", "编辑职位", "編輯職位";
    edit_note: "Saved changes to an open job are shown to candidates.", "招聘中职位保存后的更改将向求职者显示。", "招聘中職位儲存後的更改將向求職者顯示。";
    save_changes: "Save the changes", "保存更改", "儲存更改";
    languages: "Languages asked for", "语言要求", "語言要求";
    languages_hint: "Optional. Level 1 is basic, 5 native or equivalent.", "可选。1 为基础，5 为母语或同等水平。", "可選。1 為基礎，5 為母語或同等水平。";
    spoken: "Language", "语言", "語言";
    no_requirement: "None", "无", "無";
    qualification: "Qualification asked for", "所需资历", "所需資歷";
    qualification_hint: "Optional: a qualification, or a level of a qualifications framework.", "可选：指定资历，或资历架构中的级别。", "可選：指定資歷，或資歷架構中的級別。";
    framework_levels: "framework levels", "资历级别", "資歷級別";
    register_title: "Register your organisation", "登记您的机构", "登記您的機構";
    register_intro: "You become its owner. The agency verifies it before its jobs can be published.", "您将成为其负责人。服务机构核实后，才能发布其职位。", "您將成為其負責人。服務機構核實後，才能發佈其職位。";
    organisation_name: "Organisation name", "机构名称", "機構名稱";
    registered_in: "Registered in", "注册地", "註冊地";
    registration_number: "Registration number", "注册号码", "註冊號碼";
    for_example: "for example", "例如", "例如";
    register_button: "Register", "登记", "登記";
    number_taken: "A verified organisation already holds this registration number: ask its owners to invite you.", "已有通过核实的机构使用此注册号码，请联系其负责人邀请您。", "已有通過核實的機構使用此註冊號碼，請聯絡其負責人邀請您。";
    members_title: "Members and invitations", "成员与邀请", "成員與邀請";
    members: "Members", "成员", "成員";
    member_name: "Name", "姓名", "姓名";
    role: "Role", "角色", "角色";
    role_owner: "Owner", "负责人", "負責人";
    role_recruiter: "Recruiter", "招聘人员", "招聘人員";
    joined: "Joined", "加入于", "加入於";
    actions: "Actions", "操作", "操作";
    remove: "Remove", "移除", "移除";
    confirm_remove: "Remove this member? They can no longer act for the organisation.", "确定移除此成员？对方将不能再代表该机构。", "確定移除此成員？對方將不能再代表該機構。";
    leave: "Leave", "退出", "退出";
    confirm_leave: "Leave this organisation? Only an owner's new invitation brings you back.", "确定退出该机构？只有负责人再次邀请，您才能重新加入。", "確定退出該機構？只有負責人再次邀請，您才能重新加入。";
    invitations: "Pending invitations", "待接受的邀请", "待接受的邀請";
    no_invitations: "No pending invitations.", "没有待接受的邀请。", "沒有待接受的邀請。";
    invited_on: "Sent", "发送于", "發送於";
    valid_until: "Valid until", "有效期至", "有效期至";
    cancel_invitation: "Cancel", "取消", "取消";
    invite_title: "Invite a colleague", "邀请同事", "邀請同事";
    invite_hint: "We email them a link to join, valid for 7 days, to accept with an employer account of that address.", "我们会向对方发送加入链接，7 天内有效，须以该邮箱的雇主账户接受。", "我們會向對方發送加入連結，7 天內有效，須以該電郵的僱主帳戶接受。";
    invite_button: "Send the invitation", "发送邀请", "發送邀請";
    invite_unverified: "You can invite colleagues once the agency has verified the organisation.", "服务机构核实机构后，您才能邀请同事。", "服務機構核實機構後，您才能邀請同事。";
    already_member: "This address belongs to a member already.", "此邮箱已属于成员。", "此電郵已屬於成員。";
});

impl EmployerTexts {
    pub fn job_status(&self, status: &JobStatus) -> &'static str {
        match status {
            JobStatus::Draft => self.status_draft,
            JobStatus::Open => self.status_open,
            JobStatus::Closed => self.status_closed,
            JobStatus::Expired => self.status_expired,
        }
    }

    pub fn stage(&self, status: &Status) -> &'static str {
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

    /// A member's role (`employers::model::MemberRole`), as people call it.
    pub fn member_role(&self, role: MemberRole) -> &'static str {
        match role {
            MemberRole::Owner => self.role_owner,
            MemberRole::Recruiter => self.role_recruiter,
        }
    }

    pub fn employment_type(&self, kind: &str) -> &'static str {
        match kind {
            "full_time" => self.full_time,
            "part_time" => self.part_time,
            "contract" => self.contract,
            "internship" => self.internship,
            _ => "",
        }
    }

    pub fn period(&self, period: &str) -> &'static str {
        match period {
            "hour" => self.per_hour,
            "month" => self.per_month,
            "year" => self.per_year,
            _ => "",
        }
    }
}

/// The badge class of a job's status (see site.css).
fn job_badge(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Open => "good",
        JobStatus::Draft => "warn",
        JobStatus::Closed | JobStatus::Expired => "bad",
    }
}
