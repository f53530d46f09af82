//! Talking to the web pages as a browser would: pages with headers, forms, cookies.

use reqwest::header;

use super::TestApp;

/// The page at `path` with extra request headers: (status, headers, body).
pub async fn page(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, header::HeaderMap, String) {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

pub fn header<'h>(headers: &'h header::HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}

/// The value of `name="csrf"` in a page's first form.
pub fn csrf_in(body: &str) -> String {
    field_in(body, "csrf")
}

/// The value of the first input named `name` in a page.
pub fn field_in(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string()
}

/// An `application/x-www-form-urlencoded` body.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `name=value` pairs a response sets, as one `Cookie` header value.
pub fn cookies_set(headers: &header::HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The session cookie of `name`, logged in through the login form.
pub async fn browser_logged_in(app: &TestApp, name: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client.get(app.url("/login")).send().await.unwrap();
    let login_cookie = cookies_set(form.headers());
    let csrf = csrf_in(&form.text().await.unwrap());
    let answer = client
        .post(app.url("/login"))
        .header("cookie", login_cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("password", "exercise-only"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let cookie = header(answer.headers(), "set-cookie");
    for flag in [
        "truce_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    cookie.split(';').next().unwrap().to_string()
}

/// A client that shows redirects rather than following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Posts a desk form as the browser session `session`: (status, Location, body).
pub async fn desk_post(
    app: &TestApp,
    session: &str,
    path: &str,
    pairs: &[(&str, &str)],
) -> (u16, String, String) {
    let answer = no_redirects()
        .post(app.url(path))
        .header("cookie", session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(pairs))
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let location = header(answer.headers(), "location").to_string();
    (status, location, answer.text().await.unwrap())
}

/// `GET path` with a session cookie, redirects not followed: the status and the page.
pub async fn as_browser(app: &TestApp, session: &str, path: &str) -> (u16, String) {
    let page = no_redirects()
        .get(app.url(path))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    (page.status().as_u16(), page.text().await.unwrap())
}
