//! The demo world's 双晒 (issue 17): 安居物业 publishes 锦绣花园's services and accounts for the last
//! quarter, then corrects the parking income with a reason, so GraphiQL shows a version, its correction
//! line by line and an intact chain at once (README, "Disclosures").

use gongzhi_domain::disclosure::{DisclosureKind, Fen, LineCategory, LineInput, Period, Totals};
use gongzhi_domain::ids::PlaceId;

use crate::demo::cast_id;
use crate::disclosures::Draft;
use crate::{Error, Result, Store};

fn yuan(text: &str) -> Result<Fen> {
    Ok(Fen::parse_yuan(text)?)
}

fn line(key: &str, category: LineCategory, label: &str, amount: Option<&str>, note: Option<&str>) -> Result<LineInput> {
    Ok(LineInput {
        key: Some(key.to_owned()),
        category,
        label: label.to_owned(),
        amount: amount.map(yuan).transpose()?,
        note: note.map(str::to_owned),
    })
}

fn accounts(parking: &str, income: &str) -> Result<Draft> {
    Ok(Draft {
        summary: "锦绣花园本季度物业服务与收支情况公示（晒服务、晒收支）。".to_owned(),
        lines: vec![
            line("cleaning", LineCategory::Service, "楼道及公共区域保洁", None, Some("每日两次，垃圾日产日清"))?,
            line("security", LineCategory::Service, "秩序维护", None, Some("24小时门岗，夜间巡逻每两小时一次"))?,
            line("fees", LineCategory::PropertyFee, "物业费收入", Some("86400.00"), None)?,
            line("parking", LineCategory::Parking, "停车费收入", Some(parking), None)?,
            line("ads", LineCategory::SharedIncome, "电梯广告收入（公共收益）", Some("6000.00"), None)?,
            line("staff", LineCategory::OperatingCost, "人员工资", Some("72000.00"), None)?,
            line("energy", LineCategory::OperatingCost, "公共能耗", Some("9850.40"), None)?,
            line("ads-use", LineCategory::SharedIncomeUse, "公共收益用于更换1号楼单元门禁", Some("4200.00"), None)?,
        ],
        totals: Totals { income: Some(yuan(income)?), expense: Some(yuan("86050.40")?) },
        attachments: Vec::new(),
    })
}

impl Store {
    pub(crate) async fn seed_demo_disclosures(&self, jinxiu: PlaceId) -> Result<()> {
        let manager = self.actor(cast_id("property_manager").ok_or(Error::NotFound("person"))?).await?;
        let quarter = Period::last_ended(DisclosureKind::PropertyAccounts.cadence(), self.clock.now());
        let first = self
            .publish_disclosure(
                &manager,
                jinxiu,
                DisclosureKind::PropertyAccounts,
                quarter.start(),
                accounts("12000.00", "104400.00")?,
            )
            .await?;
        self.correct_disclosure(
            &manager,
            first.id,
            "停车费少计一个月的临时停车收入，已据票据更正",
            accounts("13560.00", "105960.00")?,
        )
        .await?;
        Ok(())
    }
}
