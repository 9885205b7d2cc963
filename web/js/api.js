// api.js — the only place that talks HTTP to the qmslift server.
//
// Keeps the CSRF token from the login / me answers, sends it on every
// state-changing request, and turns the server's error body
// {"error":{"code","message","field"}} into an ApiError the pages can map to
// a message under the right input. A 401 not_authenticated from any call
// hands control back to the shell (which shows the login view).

const BASE = '/api/v1';

let csrfToken = null;
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

// Messages for answers that carry no JSON body (proxy errors, crashes).
const STATUS_MESSAGES = {
  400: '请求格式有误',
  401: '登录已失效，请重新登录',
  403: '您没有执行此操作的权限',
  404: '记录不存在或您无权查看',
  405: '不支持的操作',
  409: '操作与当前状态冲突',
  413: '提交的内容过大',
  415: '不支持的文件或内容类型',
  422: '提交的内容有误，请检查后重试',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后再试',
  502: '服务暂时不可用，请稍后再试',
  503: '服务暂时不可用，请稍后再试',
};

export function setCsrf(token) { csrfToken = token || null; }
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

// Build "?a=1&b=2" from an object, leaving out empty values.
export function qs(params) {
  if (!params) return '';
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// api(method, path, body, opts) → parsed JSON (null for 204).
// opts.silent401: do not call the unauthorized handler (used by the boot check
// and by login itself, where 401 means "wrong password").
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return send(method, path, headers, body === undefined ? undefined : JSON.stringify(body), opts);
}

// Send one request and turn the answer into data or an ApiError.
async function send(method, path, headers, body, opts) {
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试', null);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || `http_${res.status}`,
      e.message || STATUS_MESSAGES[res.status] || `请求失败（${res.status}）`, e.field);
    err.body = data; // the whole answer, e.g. "current" of a 409 version_conflict
    if (res.status === 401 && err.code !== 'bad_credentials' && !opts.silent401 && unauthorizedHandler) {
      unauthorizedHandler(err);
    }
    throw err;
  }
  return data;
}

export const get = (path, params, opts) => api('GET', path + qs(params), undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);

// upload(path, file) → parsed JSON. Files go as the raw request body with the
// file's own content type (docs/api.md: no multipart), plus the CSRF token.
export function upload(path, file, { method = 'PUT', opts = {} } = {}) {
  const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return send(method, path, headers, file, opts);
}
