//! Command-line configuration: the flags, their defaults and `--help`.

use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    V30,
    V35,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anonymous {
    Admin,
    Get,
    None,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: String,
    pub port: u16,
    pub protocol: Protocol,
    pub data_dir: PathBuf,
    pub backup_root: PathBuf,
    pub op_step_ms: u64,
    pub cors_origins: Vec<String>,
    pub cors_max_age: String,
    pub cors_allow_methods: String,
    pub cors_request_headers: Option<String>,
    pub anonymous: Anonymous,
    /// `--api-key`: stored as `Raven/ApiKeys/{name}` documents at start-up.
    pub api_keys: Vec<crate::auth::ApiKeySpec>,
    /// How long an OAuth token lives (3.x: 30 minutes).
    pub token_lifetime_ms: u64,
    /// How old an API-key challenge may be when answered (3.x: 10 minutes).
    pub challenge_max_age_ms: u64,
    /// How long a single-use token stays good (3.x: 2.5 minutes).
    pub single_use_token_ms: u64,
    pub demo: bool,
    pub studio_dir: Option<PathBuf>,
    pub enable_control: bool,
    pub max_body_bytes: usize,
    pub access_log: Option<PathBuf>,
    /// A connection that has not sent a whole request head by then is closed
    /// (0 = never).
    pub header_read_timeout_ms: u64,
    /// Connections beyond this many are closed at once.
    pub max_connections: usize,
    /// Refuse foreign `Origin`s and `Host`s (off = exact 3.x behaviour).
    pub host_origin_check: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1".into(),
            port: 8080,
            protocol: Protocol::V35,
            data_dir: PathBuf::from("./.work/devserver-data"),
            backup_root: PathBuf::from("./.work/backups"),
            op_step_ms: 300,
            cors_origins: Vec::new(),
            cors_max_age: "1728000".into(),
            cors_allow_methods: "PUT,PATCH,GET,DELETE,POST".into(),
            cors_request_headers: None,
            anonymous: Anonymous::Admin,
            api_keys: Vec::new(),
            token_lifetime_ms: 30 * 60 * 1000,
            challenge_max_age_ms: 10 * 60 * 1000,
            single_use_token_ms: 150_000,
            demo: false,
            studio_dir: None,
            enable_control: false,
            max_body_bytes: 10 * 1024 * 1024,
            access_log: None,
            header_read_timeout_ms: 10_000,
            max_connections: 256,
            host_origin_check: true,
        }
    }
}

pub const HELP: &str = "\
devserver - a RavenDB 3.x (3.0 / 3.5) backup/restore admin-protocol reference server.

THIS IS A TEST AND DEMO TOOL, NOT A DATABASE. It reproduces the HTTP admin
protocol of RavenDB 3.x backups and restores (status codes, JSON names, quirks)
over a small durable document store, writing real backup folders and doing
real restores, so a dashboard can be developed and tested on Linux.

USAGE: devserver [OPTIONS]

OPTIONS:
  --bind ADDR               address to bind (default 127.0.0.1)
  --port N                  port (default 8080; 0 = pick a free port)
  --protocol 3.0|3.5        protocol version to emulate (default 3.5)
  --data-dir DIR            where databases live (default ./.work/devserver-data)
  --backup-root DIR         every backup/restore location must be inside it
                            (default ./.work/backups)
  --op-step-ms N            sleep per background backup/restore step (default 300)
  --cors-origin VALUE       allowed CORS origin(s), repeatable or space separated,
                            '*' allowed (default: CORS off)
  --cors-max-age N          Access-Control-Max-Age (default 1728000)
  --cors-allow-methods M    Access-Control-Allow-Methods (default PUT,PATCH,GET,DELETE,POST)
  --cors-request-headers H  like Raven/AccessControlRequestHeaders (default: none)
  --anonymous-access A      Admin|Get|None (default Admin)
  --api-key NAME/SECRET=DB:ACCESS[,DB:ACCESS...]
                            an API key (repeatable), stored as the system
                            document Raven/ApiKeys/NAME; ACCESS is admin, rw or
                            read; DB is a database name, * (every database) or
                            <system> (server admin); traded for a token through
                            POST /OAuth/API-Key
  --token-lifetime-ms N     OAuth token lifetime (default 1800000 = 30 min)
  --oauth-challenge-max-age-ms N
                            oldest API-key challenge accepted (default 600000)
  --single-use-token-ms N   single-use token lifetime (default 150000)
  --demo                    seed demo databases (Northwind, Payroll, Orders2019)
                            and the Media file system if absent
  --studio-dir DIR          serve DIR at /studio/ and redirect / to /studio/
  --enable-control          enable the test-only /__devserver/ endpoints
  --max-body-bytes N        largest accepted request body (default 10485760)
  --access-log FILE         append one line per request (method, path, status, ms)
  --header-read-timeout-ms N
                            close a connection that has not sent a whole request
                            head within N ms, idle keep-alive ones included
                            (default 10000; 0 = never)
  --max-connections N       close connections beyond N at once (default 256)
  --host-origin-check on|off
                            refuse requests whose Origin is neither the server's
                            own nor allowed by --cors-origin, and requests whose
                            Host is neither the bound address nor a loopback
                            name: no web page can drive the server, no DNS
                            rebinding can read it (default on; off = exact 3.x
                            behaviour)
  -h, --help                show this help
";

fn parse_num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("invalid value for {flag}: '{v}'"))
}

impl Config {
    /// Parses arguments (without the program name). `Ok(None)` means "help shown".
    pub fn parse(args: &[String]) -> Result<Option<Config>, String> {
        let mut c = Config::default();
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (a, None),
            };
            let mut value = || -> Result<String, String> {
                if let Some(v) = inline.clone() {
                    return Ok(v);
                }
                i += 1;
                args.get(i)
                    .cloned()
                    .ok_or_else(|| format!("missing value for {flag}"))
            };
            match flag {
                "-h" | "--help" => return Ok(None),
                "--bind" => c.bind = value()?,
                "--port" => c.port = parse_num(flag, &value()?)?,
                "--protocol" => {
                    c.protocol = match value()?.as_str() {
                        "3.0" | "30" => Protocol::V30,
                        "3.5" | "35" => Protocol::V35,
                        other => {
                            return Err(format!("--protocol must be 3.0 or 3.5, not '{other}'"))
                        }
                    }
                }
                "--data-dir" => c.data_dir = PathBuf::from(value()?),
                "--backup-root" => c.backup_root = PathBuf::from(value()?),
                "--op-step-ms" => c.op_step_ms = parse_num(flag, &value()?)?,
                "--cors-origin" => {
                    let v = value()?;
                    c.cors_origins
                        .extend(v.split_whitespace().map(|s| s.to_string()));
                }
                "--cors-max-age" => c.cors_max_age = value()?,
                "--cors-allow-methods" => c.cors_allow_methods = value()?,
                "--cors-request-headers" => c.cors_request_headers = Some(value()?),
                "--anonymous-access" => {
                    c.anonymous = match value()?.to_ascii_lowercase().as_str() {
                        "admin" | "all" => Anonymous::Admin,
                        "get" => Anonymous::Get,
                        "none" => Anonymous::None,
                        other => {
                            return Err(format!(
                                "--anonymous-access must be Admin, Get or None, not '{other}'"
                            ))
                        }
                    }
                }
                "--api-key" => {
                    let k = crate::auth::ApiKeySpec::parse(&value()?)?;
                    c.api_keys.retain(|o| o.name != k.name);
                    c.api_keys.push(k);
                }
                "--token-lifetime-ms" => c.token_lifetime_ms = parse_num(flag, &value()?)?,
                "--oauth-challenge-max-age-ms" => {
                    c.challenge_max_age_ms = parse_num(flag, &value()?)?
                }
                "--single-use-token-ms" => c.single_use_token_ms = parse_num(flag, &value()?)?,
                "--demo" => c.demo = true,
                "--studio-dir" => c.studio_dir = Some(PathBuf::from(value()?)),
                "--enable-control" => c.enable_control = true,
                "--max-body-bytes" => c.max_body_bytes = parse_num(flag, &value()?)?,
                "--access-log" => c.access_log = Some(PathBuf::from(value()?)),
                "--header-read-timeout-ms" => {
                    c.header_read_timeout_ms = parse_num(flag, &value()?)?
                }
                "--max-connections" => {
                    c.max_connections = parse_num(flag, &value()?)?;
                    if c.max_connections == 0 {
                        return Err("--max-connections must be at least 1".into());
                    }
                }
                "--host-origin-check" => {
                    c.host_origin_check = match value()?.as_str() {
                        "on" => true,
                        "off" => false,
                        other => {
                            return Err(format!(
                                "--host-origin-check must be on or off, not '{other}'"
                            ))
                        }
                    }
                }
                other => return Err(format!("unknown argument '{other}' (see --help)")),
            }
            i += 1;
        }
        Ok(Some(c))
    }

    pub fn is35(&self) -> bool {
        self.protocol == Protocol::V35
    }
}
