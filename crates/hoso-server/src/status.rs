//! A dossier's statuses, numbered as the national portal's synchronisation
//! numbers them, and the moves between them.

use serde::{Serialize, Serializer};

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// 1: newly registered, not yet looked at.
    Registered = 1,
    /// 2: accepted for processing.
    Accepted = 2,
    /// 3: not accepted (with a reason).
    NotAccepted = 3,
    /// 4: being processed.
    Processing = 4,
    /// 5: the applicant must supplement the dossier.
    SupplementRequested = 5,
    /// 6: a fee or other financial obligation is due.
    FinancialObligation = 6,
    /// 7: withdrawn by the applicant.
    Withdrawn = 7,
    /// 8: processing stopped.
    Stopped = 8,
    /// 9: processed; the result is ready.
    Processed = 9,
    /// 10: the result was returned to the applicant.
    ResultReturned = 10,
}

impl Status {
    /// Every status, in number order.
    pub const ALL: [Status; 10] = [
        Status::Registered,
        Status::Accepted,
        Status::NotAccepted,
        Status::Processing,
        Status::SupplementRequested,
        Status::FinancialObligation,
        Status::Withdrawn,
        Status::Stopped,
        Status::Processed,
        Status::ResultReturned,
    ];

    /// The national status code.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// The status of a national code.
    pub fn from_code(code: i64) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status in Vietnamese, as the national portal words it.
    pub fn vi(self) -> &'static str {
        match self {
            Status::Registered => "Mới đăng ký",
            Status::Accepted => "Được tiếp nhận",
            Status::NotAccepted => "Không được tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            Status::FinancialObligation => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Status::Stopped => "Dừng xử lý",
            Status::Processed => "Đã xử lý xong",
            Status::ResultReturned => "Đã trả kết quả",
        }
    }

    /// The status in English.
    pub fn en(self) -> &'static str {
        match self {
            Status::Registered => "Newly registered",
            Status::Accepted => "Accepted",
            Status::NotAccepted => "Not accepted",
            Status::Processing => "Processing",
            Status::SupplementRequested => "Supplement requested",
            Status::FinancialObligation => "Financial obligation requested",
            Status::Withdrawn => "Withdrawn by the applicant",
            Status::Stopped => "Processing stopped",
            Status::Processed => "Processed",
            Status::ResultReturned => "Result returned",
        }
    }

    /// Whether nothing more happens to a dossier in this status.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::NotAccepted | Status::Withdrawn | Status::Stopped | Status::ResultReturned
        )
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

/// What an officer or the applicant does to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Officer: accept the dossier for processing (1 → 2).
    Accept,
    /// Officer: refuse it, with a reason (1 → 3).
    Refuse,
    /// Officer: start processing (2 → 4).
    Process,
    /// Officer: ask the applicant for more documents (2, 4 → 5).
    RequestSupplement,
    /// Applicant: answer a supplement request with a signed supplement (5 → 4).
    Supplement,
    /// Officer: ask for a fee (2, 4 → 6).
    RequestPayment,
    /// Officer: record that the fee was paid (6 → 4).
    RecordPayment,
    /// Officer: send the dossier to a co-processing agency for its opinion
    /// (stays 4; the agency gains access).
    Forward,
    /// Co-processing agency: give its opinion (stays 4).
    Opinion,
    /// Officer: stop processing, with a reason (2, 4, 5, 6 → 8).
    Stop,
    /// Officer: approve; the result is ready (4 → 9).
    Approve,
    /// Officer: return the signed result (9 → 10).
    ReturnResult,
    /// Applicant: withdraw with a signed request (1, 2, 4, 5, 6 → 7).
    Withdraw,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 13] = [
        Action::Accept,
        Action::Refuse,
        Action::Process,
        Action::RequestSupplement,
        Action::Supplement,
        Action::RequestPayment,
        Action::RecordPayment,
        Action::Forward,
        Action::Opinion,
        Action::Stop,
        Action::Approve,
        Action::ReturnResult,
        Action::Withdraw,
    ];

    /// The action's name in the API and the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Refuse => "refuse",
            Action::Process => "process",
            Action::RequestSupplement => "request-supplement",
            Action::Supplement => "supplement",
            Action::RequestPayment => "request-payment",
            Action::RecordPayment => "record-payment",
            Action::Forward => "forward",
            Action::Opinion => "opinion",
            Action::Stop => "stop",
            Action::Approve => "approve",
            Action::ReturnResult => "return-result",
            Action::Withdraw => "withdraw",
        }
    }

    /// The action of an API name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The status after this action from `from`, or `None` when the action
    /// is not allowed there.
    pub fn next(self, from: Status) -> Option<Status> {
        use Status::*;
        let to = match (self, from) {
            (Action::Accept, Registered) => Accepted,
            (Action::Refuse, Registered) => NotAccepted,
            (Action::Process, Accepted) => Processing,
            (Action::RequestSupplement, Accepted | Processing) => SupplementRequested,
            (Action::Supplement, SupplementRequested) => Processing,
            (Action::RequestPayment, Accepted | Processing) => FinancialObligation,
            (Action::RecordPayment, FinancialObligation) => Processing,
            (Action::Forward | Action::Opinion, Processing) => Processing,
            (Action::Stop, Accepted | Processing | SupplementRequested | FinancialObligation) => {
                Stopped
            }
            (Action::Approve, Processing) => Processed,
            (Action::ReturnResult, Processed) => ResultReturned,
            (
                Action::Withdraw,
                Registered | Accepted | Processing | SupplementRequested | FinancialObligation,
            ) => Withdrawn,
            _ => return None,
        };
        Some(to)
    }

    /// Whether the applicant (not an officer) takes this action, with a
    /// signed request.
    pub fn by_applicant(self) -> bool {
        matches!(self, Action::Withdraw | Action::Supplement)
    }

    /// Whether the action needs a written reason.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::Refuse | Action::Stop | Action::RequestSupplement | Action::Opinion
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_statuses_allow_nothing() {
        for status in Status::ALL.into_iter().filter(|s| s.is_final()) {
            for action in Action::ALL {
                assert_eq!(action.next(status), None, "{action:?} from {status:?}");
            }
        }
    }

    #[test]
    fn every_status_is_reachable_from_registration() {
        let mut reached = vec![Status::Registered];
        let mut i = 0;
        while i < reached.len() {
            for action in Action::ALL {
                if let Some(next) = action.next(reached[i])
                    && !reached.contains(&next)
                {
                    reached.push(next);
                }
            }
            i += 1;
        }
        reached.sort();
        assert_eq!(reached, Status::ALL);
    }

    #[test]
    fn codes_and_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        assert_eq!(Status::from_code(11), None);
    }
}
