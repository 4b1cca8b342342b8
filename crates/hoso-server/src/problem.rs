//! Errors as Problem Details (RFC 9457), with the title and detail in
//! English and Vietnamese.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// A problem answered to a request.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable code; the `type` is `urn:hoso:problem:<code>`.
    pub code: &'static str,
    /// Short title, English and Vietnamese.
    pub title: (&'static str, &'static str),
    /// What happened here, English and Vietnamese.
    pub detail: (String, String),
    /// Further members (a form's field errors, ...); boxed to keep results
    /// that carry a problem small.
    pub extra: Box<Map<String, Value>>,
}

impl Problem {
    /// A problem with the same detail shape in both languages.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        title: (&'static str, &'static str),
        detail_en: impl Into<String>,
        detail_vi: impl Into<String>,
    ) -> Problem {
        Problem {
            status,
            code,
            title,
            detail: (detail_en.into(), detail_vi.into()),
            extra: Box::default(),
        }
    }

    /// Adds a member.
    pub fn with(mut self, key: &str, value: Value) -> Problem {
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// 404 for a dossier code, also when the secret is wrong, so that a
    /// guessed code does not reveal whether it exists.
    pub fn no_dossier() -> Problem {
        Problem::new(
            StatusCode::NOT_FOUND,
            "dossier-not-found",
            ("Dossier not found", "Không tìm thấy hồ sơ"),
            "No dossier matches this code and credential.",
            "Không có hồ sơ nào khớp với mã và thông tin xác thực này.",
        )
    }

    /// 401 when officer credentials are missing or wrong.
    pub fn unauthorized() -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            ("Unauthorized", "Chưa xác thực"),
            "A valid officer bearer token is required.",
            "Cần mã truy cập hợp lệ của cán bộ.",
        )
    }

    /// 403 when the credentials do not cover this dossier or action.
    pub fn forbidden(en: impl Into<String>, vi: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            ("Forbidden", "Không có quyền"),
            en,
            vi,
        )
    }

    /// 500, without internals (they go to the log).
    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            ("Internal error", "Lỗi hệ thống"),
            "The service could not complete the request; nothing was stored.",
            "Hệ thống không hoàn tất được yêu cầu; không có gì được lưu.",
        )
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "type": format!("urn:hoso:problem:{}", self.code),
            "title": self.title.0,
            "status": self.status.as_u16(),
            "detail": self.detail.0,
            "title_vi": self.title.1,
            "detail_vi": self.detail.1,
        });
        if let Value::Object(map) = &mut body {
            map.extend(self.extra.as_ref().clone());
        }
        body
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
