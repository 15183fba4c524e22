#include "http/console_page.h"

#include "base/clock.h"
#include "http/pages.h"
#include "stack/environment.h"

namespace authemu {

namespace {

const char* const kConsoleStyle = R"(
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2330;--muted:#5f6b7d;--line:#d9dde5;
--accent:#2f5bea;--accent-text:#fff;--bad:#b42318;--good:#067647;--soft:#eef2ff;--row:#f8f9fb}
@media (prefers-color-scheme:dark){:root{--bg:#14161b;--card:#1d2027;--text:#e6e8ee;--muted:#9aa3b2;
--line:#333846;--accent:#7d98ff;--accent-text:#0d1020;--bad:#ff8a80;--good:#6ce9a6;--soft:#252a3a;--row:#22252d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
header.top{background:var(--card);border-bottom:1px solid var(--line);padding:8px 16px;
display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
.brand{font-weight:700;font-size:16px;margin-right:8px}
nav a{color:var(--accent);margin-right:12px;text-decoration:none}
nav a:hover{text-decoration:underline}
@media (min-width:901px){header.top{position:sticky;top:0;z-index:2}}
.clock input{width:13em}
@media (max-width:600px){.clock{padding:3px 6px;gap:4px}.clock button{padding:2px 7px}.clock input{width:10em}}
.clock{display:flex;flex-wrap:wrap;gap:6px;align-items:center;border:1px solid var(--line);border-radius:8px;padding:4px 8px}
.clock b{font-weight:600}
.muted{color:var(--muted)}
main{padding:12px 16px;display:grid;gap:16px;grid-template-columns:minmax(0,2fr) minmax(0,1fr)}
@media (max-width:900px){main{grid-template-columns:minmax(0,1fr)}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;min-width:0}
section.wide{grid-column:1/-1}
h1{font-size:16px;margin:0 0 8px}
h2{font-size:15px;margin:0 0 8px}
h3{font-size:13px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.scroll{overflow:auto;max-height:60vh;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);white-space:nowrap;vertical-align:top}
td.wrap{white-space:normal;word-break:break-all}
thead th{position:sticky;top:0;background:var(--soft);font-weight:600}
tbody tr:nth-child(even){background:var(--row)}
#journal tbody tr{cursor:pointer}
#journal tbody tr:hover,#journal tbody tr.sel{background:var(--soft)}
.st-err{color:var(--bad);font-weight:600}
.ok{color:var(--good);font-weight:600}
.bad{color:var(--bad);font-weight:600}
label{font-size:13px}
.row{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:end;margin:6px 0}
.row label{display:flex;flex-direction:column;gap:2px}
input,select,textarea{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--text)}
textarea{width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;min-height:70px}
button{font:inherit;cursor:pointer;border-radius:6px;padding:4px 10px;border:1px solid var(--line);background:var(--soft);color:var(--text)}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text);font-weight:600}
button.danger{color:var(--bad)}
button:hover{border-color:var(--accent)}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
pre{margin:4px 0;padding:8px;background:var(--row);border:1px solid var(--line);border-radius:6px;overflow:auto;font-size:12px;max-height:320px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
#status{min-height:1.4em;font-size:13px}
#status.err{color:var(--bad)}
.pill{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 8px;font-size:12px}
.live{color:var(--good)}
.envs{display:grid;gap:12px;grid-template-columns:minmax(0,1fr)}
details{min-width:0}
summary .muted{word-break:break-all}
details>summary{cursor:pointer;font-weight:600}
.sr{position:absolute;left:-9999px}
)";

const char* const kConsoleHelpers = R"JS(
const $=(s,r=document)=>r.querySelector(s), $$=(s,r=document)=>[...r.querySelectorAll(s)];
const esc=s=>String(s??'').replace(/[&<>"']/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
function say(msg,bad){const s=$('#status');if(s){s.textContent=msg;s.className=bad?'err':''}}
async function api(method,path,body){
  const init={method,credentials:'same-origin',headers:{}};
  if(body!==undefined){init.headers['Content-Type']='application/json';init.body=JSON.stringify(body)}
  const r=await fetch(path,init);const text=await r.text();let j=null;try{j=JSON.parse(text)}catch(e){}
  if(!r.ok)throw new Error(r.status+' '+((j&&(j.errorMessage||j.error_description||j.error))||text.slice(0,200)));
  return j;
}
const utc=t=>new Date(t*1000).toISOString().replace('.000Z','Z');
function rel(s){const a=Math.abs(s);const n=a<60?a+' s':a<3600?Math.floor(a/60)+' min':a<86400?Math.floor(a/3600)+' h':Math.floor(a/86400)+' d';return s===0?'now':s<0?n+' ago':'in '+n}
function checksHtml(x){
  let h='<p><b class="'+(x.valid?'ok':'bad')+'">'+(x.valid?'valid':'refused')+'</b> · environment <b>'+esc(x.environment??'none of ours')+'</b></p>';
  h+='<table><thead><tr><th>check</th><th>ok</th><th>reason</th><th>why</th></tr></thead><tbody>';
  for(const c of x.checks)h+='<tr><td>'+esc(c.check)+'</td><td class="'+(c.ok?'ok':'bad')+'">'+(c.ok?'✓':'✗')+'</td><td><code>'+esc(c.reason)+'</code></td><td class="wrap">'+esc(c.message)+'</td></tr>';
  h+='</tbody></table>';
  const d=x.dates||{};if(Object.keys(d).length)h+='<p class="muted">'+Object.entries(d).map(([k,v])=>esc(k)+': '+esc(v)).join(' · ')+'</p>';
  return h+'<h3>header</h3><pre>'+esc(JSON.stringify(x.header,null,2))+'</pre><h3>claims</h3><pre>'+esc(JSON.stringify(x.claims,null,2))+'</pre>';
}
)JS";

const char* const kConsoleScript = R"JS(
const entries=new Map();let paused=false;const held=[];
function cells(e){
  const err=e.status>=400;
  return [e.seq,utc(e.time).slice(11,19),new Date(e.wall_time_ms).toISOString().slice(11,19),e.environment,e.endpoint,e.client_id||'',e.grant_type||'',e.user||'',e.status,err?e.outcome:'',(e.latency_us/1000).toFixed(1)+' ms',e.method,e.path||'']
    .map((v,i)=>'<td'+(i===8&&err?' class="st-err"':'')+(i===1?' title="'+esc(utc(e.time))+'"':'')+'>'+esc(v)+'</td>').join('');
}
function addRow(e){
  const tr=document.createElement('tr');tr.tabIndex=0;
  Object.assign(tr.dataset,{seq:e.seq,env:e.environment,endpoint:e.endpoint,client:e.client_id||'',status:e.status,error:e.status>=400?'1':''});
  tr.innerHTML=cells(e);$('#journal tbody').prepend(tr);filterRow(tr);$('#journal-count').textContent=$$('#journal tbody tr').length;
}
function filterRow(tr){
  const env=$('#f-env').value,ep=$('#f-endpoint').value,cl=$('#f-client').value.trim(),st=$('#f-status').value.trim(),er=$('#f-errors').checked;
  tr.hidden=(env&&tr.dataset.env!==env)||(ep&&tr.dataset.endpoint!==ep)||(cl&&!tr.dataset.client.includes(cl))||(st&&!tr.dataset.status.startsWith(st))||(er&&!tr.dataset.error);
}
function filterAll(){$$('#journal tbody tr').forEach(filterRow)}
$$('#filters input,#filters select').forEach(i=>i.addEventListener('input',filterAll));
$('#f-pause').addEventListener('change',e=>{paused=e.target.checked;if(!paused){held.splice(0).forEach(addRow)}});
function stream(){
  const es=new EventSource('/_authemu/journal/stream');
  es.onopen=()=>{$('#live').textContent='live';$('#live').className='pill live'};
  es.onerror=()=>{$('#live').textContent='reconnecting';$('#live').className='pill'};
  es.onmessage=m=>{const e=JSON.parse(m.data);entries.set(e.seq,e);if(paused)held.push(e);else addRow(e)};
}
stream();
const SECRET=/^(client_secret|password|code|code_verifier|refresh_token|token|assertion|client_assertion|subject_token|actor_token|device_code|id_token_hint|access_token|id_token|user_code|request)$/;
function curl(e){
  const q=s=>"'"+String(s).replace(/'/g,"'\\''")+"'";
  const parts=['curl -i -X '+e.method];
  for(const [k,v] of Object.entries(e.headers||{})){
    if(/^(host|content-length|connection|accept-encoding|user-agent|accept|cookie|origin|referer|sec-.*)$/i.test(k))continue;
    if(/^authorization$/i.test(k)){
      if(/^basic/i.test(v))parts.push('-u "$CLIENT_ID:$CLIENT_SECRET"');else parts.push('-H '+q(k+': '+v.split(' ')[0]+' ')+'"$TOKEN"');
      continue;
    }
    if(/^content-type$/i.test(k)&&e.method==='POST')continue;
    parts.push('-H '+q(k+': '+v));
  }
  const data=Object.entries(e.params||{});
  if(e.method==='POST'){for(const [k,v] of data)parts.push('--data-urlencode '+(SECRET.test(k)?'"'+k+'=$'+k.toUpperCase()+'"':q(k+'='+v)))}
  let url=location.origin+(e.path||'');
  if(e.method!=='POST'&&data.length)url+='?'+data.map(([k,v])=>encodeURIComponent(k)+'='+(SECRET.test(k)?'$'+k.toUpperCase():encodeURIComponent(v))).join('&');
  parts.push(q(url));return parts.join(' \\\n  ');
}
function tokenHtml(t,e){
  const c=t.claims||{};const now=e.time+(Date.now()-e.wall_time_ms)/1000|0;
  const dates=['exp','nbf','iat'].filter(k=>typeof c[k]==='number').map(k=>k+' '+utc(c[k])+' ('+rel(c[k]-now)+')').join(' · ');
  return '<h3>'+esc(t.role)+'</h3><p class="muted">'+esc(dates)+' (by the environment clock)</p><pre>'+esc(JSON.stringify(t.header))+'</pre><pre>'+esc(JSON.stringify(c,null,2))+'</pre>';
}
function kv(o){const r=Object.entries(o||{});return r.length?'<table><tbody>'+r.map(([k,v])=>'<tr><th>'+esc(k)+'</th><td class="wrap">'+esc(v)+'</td></tr>').join('')+'</tbody></table>':'<p class="muted">none</p>'}
async function open(seq){
  $$('#journal tr.sel').forEach(t=>t.classList.remove('sel'));const tr=$('#journal tr[data-seq="'+seq+'"]');if(tr)tr.classList.add('sel');
  let e=entries.get(+seq);
  if(!e){try{e=await api('GET','/_authemu/journal/'+seq);entries.set(+seq,e)}catch(err){say(err.message,true);return}}
  let h='<h2>#'+esc(e.seq)+' '+esc(e.method)+' '+esc(e.path||e.endpoint)+'</h2><p>status <b class="'+(e.status>=400?'bad':'ok')+'">'+esc(e.status)+'</b> '+esc(e.outcome)+(e.error_description?' · '+esc(e.error_description):'')+(e.fault?' · fault '+esc(e.fault):'')+'</p>';
  h+='<p class="muted">'+esc(e.environment)+' · '+esc(utc(e.time))+' by the environment clock · '+esc(new Date(e.wall_time_ms).toISOString())+' wall time · '+esc((e.latency_us/1000).toFixed(1))+' ms</p>';
  h+='<h3>parameters</h3>'+kv(e.params)+'<h3>headers</h3>'+kv(e.headers);
  h+=(e.tokens||[]).map(t=>tokenHtml(t,e)).join('');
  h+='<h3>copy as curl</h3><label for="curl" class="sr">curl command</label><textarea id="curl" readonly rows="5">'+esc(curl(e))+'</textarea><button type="button" id="copy-curl">Copy as curl</button>';
  $('#details').innerHTML=h;$('#details').hidden=false;
  $('#copy-curl').onclick=async()=>{try{await navigator.clipboard.writeText($('#curl').value);say('copied')}catch(err){$('#curl').select();say('select and copy: the clipboard needs a secure context')}};
}
$('#journal tbody').addEventListener('click',e=>{const tr=e.target.closest('tr');if(tr)open(tr.dataset.seq)});
$('#journal tbody').addEventListener('keydown',e=>{if(e.key==='Enter'||e.key===' '){const tr=e.target.closest('tr');if(tr){e.preventDefault();open(tr.dataset.seq)}}});
$('#explain-form').addEventListener('submit',async e=>{
  e.preventDefault();const body={token:$('#explain-token').value.trim()};const aud=$('#explain-aud').value.trim();if(aud)body.audience=aud;
  try{$('#explain-out').innerHTML=checksHtml(await api('POST','/_authemu/explain',body));say('explained')}catch(err){say(err.message,true)}
});
function formBody(f){const b={};for(const el of f.elements){if(!el.name||el.value==='')continue;if(el.type==='checkbox'){b[el.name]=el.checked;continue}
  if(el.dataset.json!==undefined){try{b[el.name]=JSON.parse(el.value)}catch(err){throw new Error(el.name+': not JSON')}}else b[el.name]=el.dataset.num!==undefined?Number(el.value):el.value}return b}
async function act(spec,body){const i=spec.indexOf(' ');const m=spec.slice(0,i),p=spec.slice(i+1);
  try{await api(m,p,body);say('done: '+spec);setTimeout(()=>location.reload(),150)}catch(err){say(err.message,true)}}
document.addEventListener('click',e=>{const b=e.target.closest('button[data-act]');if(!b)return;e.preventDefault();
  act(b.dataset.act,b.dataset.body?JSON.parse(b.dataset.body):(b.dataset.act.startsWith('DELETE')?undefined:{}))});
document.addEventListener('submit',e=>{const f=e.target.closest('form[data-act]');if(!f)return;e.preventDefault();
  let body;try{body=formBody(f)}catch(err){say(err.message,true);return}
  if(f.dataset.fixed)Object.assign(body,JSON.parse(f.dataset.fixed));
  if(f.dataset.clock==='set'&&/^\d+$/.test(body.set))body.set=Number(body.set);
  act(f.dataset.act.replace('{user_code}',encodeURIComponent(body.user_code||'')),body)});
const b64u=b=>btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g,'-').replace(/\//g,'_').replace(/=+$/,'');
const rand=()=>b64u(crypto.getRandomValues(new Uint8Array(32)));
$('#signin-env').addEventListener('change',()=>{const env=$('#signin-env').value;$$('#signin-client option').forEach(o=>{o.hidden=o.dataset.env!==env});
  const first=$('#signin-client option[data-env="'+env+'"]');if(first)$('#signin-client').value=first.value});
$('#signin-env').dispatchEvent(new Event('change'));
$('#signin-form').addEventListener('submit',async e=>{
  e.preventDefault();const opt=$('#signin-client').selectedOptions[0];const base=location.origin+new URL(opt.dataset.issuer).pathname;
  const verifier=rand(),state=rand(),nonce=rand();let challenge=verifier,method='plain';
  if(crypto.subtle){challenge=b64u(await crypto.subtle.digest('SHA-256',new TextEncoder().encode(verifier)));method='S256'}
  const redirect=location.origin+'/_authemu/console/callback';
  sessionStorage.setItem('authemu-signin',JSON.stringify({verifier,state,nonce,base,client:opt.value,redirect,env:$('#signin-env').value}));
  const p=new URLSearchParams({response_type:'code',client_id:opt.value,redirect_uri:redirect,scope:$('#signin-scope').value,state,nonce,code_challenge:challenge,code_challenge_method:method});
  for(const k of ['prompt','login_hint','max_age']){const v=$('#signin-'+k).value.trim();if(v)p.set(k,v)}
  location.assign(base+'/authorize?'+p);
});
)JS";

const char* const kCallbackScript = R"JS(
const s=JSON.parse(sessionStorage.getItem('authemu-signin')||'null');const q=new URLSearchParams(location.search);let tokens=null;
async function explain(role,token,extra){const x=await api('POST','/_authemu/explain',Object.assign({token},extra));
  return '<section><h2>'+esc(role)+'</h2>'+checksHtml(x)+'</section>'}
async function show(t,first){
  tokens=Object.assign(tokens||{},t);let h='<p class="muted">'+esc(Object.keys(t).join(', '))+' · token_type '+esc(t.token_type)+' · expires_in '+esc(t.expires_in)+' · scope '+esc(t.scope||'')+'</p>';
  // OIDC Core §12.2: an ID token from a refresh carries no nonce of its own.
  if(t.id_token)h+=await explain('ID token',t.id_token,first?{nonce:s.nonce,access_token:t.access_token}:{access_token:t.access_token});
  if(t.access_token&&t.access_token.split('.').length===3)h+=await explain('access token',t.access_token,{});
  if(t.refresh_token&&t.refresh_token.split('.').length===3)h+=await explain('refresh token',t.refresh_token,{});
  else if(t.refresh_token)h+='<section><h2>refresh token</h2><p>opaque ('+esc(t.refresh_token.length)+' characters)</p></section>';
  $('#out').innerHTML=h;
}
async function token(params){const r=await fetch(s.base+'/oauth/token',{method:'POST',headers:{'Content-Type':'application/x-www-form-urlencoded'},body:new URLSearchParams(Object.assign({client_id:s.client},params))});
  const j=await r.json();if(!r.ok)throw new Error(j.error+': '+(j.error_description||''));return j}
(async()=>{
  try{
    if(!s)throw new Error('no sign-in was started from this browser tab: start one from the console');
    if(q.get('error'))throw new Error(q.get('error')+': '+(q.get('error_description')||''));
    if(q.get('state')!==s.state)throw new Error('state does not match the one sent (RFC 6749 section 10.12)');
    $('#who').textContent='environment '+s.env+' · client '+s.client;
    await show(await token({grant_type:'authorization_code',code:q.get('code'),redirect_uri:s.redirect,code_verifier:s.verifier}),true);
    history.replaceState(null,'',location.pathname);say('signed in');
  }catch(err){say(err.message,true)}
})();
$('#userinfo').onclick=async()=>{try{const r=await fetch(s.base+'/userinfo',{headers:{Authorization:'Bearer '+tokens.access_token}});
  $('#userinfo-out').innerHTML='<h2>userinfo ('+r.status+')</h2><pre>'+esc(JSON.stringify(await r.json(),null,2))+'</pre>'}catch(err){say(err.message,true)}};
$('#refresh').onclick=async()=>{try{if(!tokens||!tokens.refresh_token)throw new Error('no refresh token: ask for offline_access');
  await show(await token({grant_type:'refresh_token',refresh_token:tokens.refresh_token}));say('refreshed')}catch(err){say(err.message,true)}};
$('#logout').onclick=()=>{const p=new URLSearchParams({client_id:s.client,post_logout_redirect_uri:location.origin+'/_authemu/console'});
  if(tokens&&tokens.id_token)p.set('id_token_hint',tokens.id_token);location.assign(s.base+'/end_session?'+p)};
)JS";

std::string head(const std::string& title) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width,initial-scale=1\"><title>" +
         html_escape(title) + "</title><style>" + kConsoleStyle + "</style></head><body>";
}

std::string attr(const std::string& s) {
  return "\"" + html_escape(s) + "\"";
}

// A button that sends one admin API request (method path) with a JSON body.
std::string action(const std::string& label, const std::string& method_path, const std::string& json_body = "",
                   const std::string& cls = "") {
  return "<button type=\"button\"" + (cls.empty() ? "" : " class=" + attr(cls)) + " data-act=" + attr(method_path) +
         (json_body.empty() ? "" : " data-body=" + attr(json_body)) + ">" + html_escape(label) + "</button>";
}

std::string env_json(const std::string& env) {
  return "{\"environment\":" + dump_json(json_string(env)) + "}";
}

std::string journal_row(const JournalEntry& e) {
  bool err = e.status >= 400;
  std::string env = environment_label(e.environment);
  std::string r = "<tr tabindex=\"0\" data-seq=\"" + std::to_string(e.seq) + "\" data-env=" + attr(env) +
                  " data-endpoint=" + attr(e.endpoint) + " data-client=" + attr(e.client_id) + " data-status=\"" +
                  std::to_string(e.status) + "\" data-error=\"" + (err ? "1" : "") + "\">";
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.1f ms", double(e.latency_us) / 1000.0);
  r += "<td>" + std::to_string(e.seq) + "</td><td title=" + attr(format_utc(e.time)) + ">" +
       format_utc(e.time, "%H:%M:%S") + "</td><td>" + format_utc(e.wall_time_ms / 1000, "%H:%M:%S") + "</td>";
  for (const std::string& v : {env, e.endpoint, e.client_id, e.grant_type, e.user})
    r += "<td>" + html_escape(v) + "</td>";
  r += std::string("<td") + (err ? " class=\"st-err\"" : "") + ">" + std::to_string(e.status) + "</td><td>" +
       (err ? html_escape(e.outcome) : "") + "</td><td>" + latency + "</td><td>" + html_escape(e.method) + "</td><td>" +
       html_escape(e.path) + "</td></tr>";
  return r;
}

std::string table(const std::vector<std::string>& heads, const std::string& rows, const std::string& id = "") {
  std::string h = "<div class=\"scroll\"><table" + (id.empty() ? "" : " id=" + attr(id)) + "><thead><tr>";
  for (const auto& x : heads)
    h += "<th>" + html_escape(x) + "</th>";
  return h + "</tr></thead><tbody>" + rows + "</tbody></table></div>";
}

std::string environment_state(const ConsoleEnvironment& e) {
  const std::string env = env_json(e.name);
  const std::string q = "?environment=" + e.name;
  std::string h = "<details open><summary>environment " + html_escape(e.name) + " <span class=\"muted\">" +
                  html_escape(e.issuer) + "</span></summary>";
  std::string keys;
  for (const auto& k : e.keys) {
    keys += "<tr><td><code>" + html_escape(k.kid) + "</code></td><td>" + html_escape(k.alg) + "</td><td>" +
            (k.retires.empty() ? "active" : "retiring at " + html_escape(k.retires)) + "</td></tr>";
  }
  h += "<h3>keys</h3>" + table({"kid", "alg", "state"}, keys) + "<div class=\"row\">" +
       action("Rotate key", "POST /_authemu/keys/rotate", env) + "</div>";
  std::string clients;
  for (const auto& c : e.clients) {
    clients += "<tr><td>" + html_escape(c.id) + "</td><td>" + html_escape(c.kind) + "</td><td class=\"wrap\">" +
               html_escape(c.grants) + "</td><td class=\"wrap\">" + html_escape(c.redirect_uris) + "</td></tr>";
  }
  h += "<h3>clients (" + std::to_string(e.clients_total) + ")</h3>" +
       table({"client", "kind", "grants", "redirect URIs"}, clients);
  if (e.clients_total > e.clients.size()) {
    h += "<p class=\"muted\">the first " + std::to_string(e.clients.size()) + " shown</p>";
  }
  std::string users;
  for (const auto& u : e.users) {
    users += "<tr><td><code>" + html_escape(u.id) + "</code></td><td>" + html_escape(u.username) + "</td><td>" +
             html_escape(u.email) + "</td><td>" + html_escape(u.name) + "</td></tr>";
  }
  h += "<h3>users (" + std::to_string(e.users_total) + ")</h3>" + table({"id", "username", "email", "name"}, users);
  h += "<form class=\"row\" data-act=\"POST /_authemu/users\" data-fixed=" + attr(env) +
       "><label>username<input name=\"username\" required autocomplete=\"off\"></label>"
       "<label>email<input name=\"email\" type=\"email\" autocomplete=\"off\"></label>"
       "<label>password<input name=\"password\" type=\"password\" autocomplete=\"new-password\"></label>"
       "<button type=\"submit\">Add user</button></form>";
  std::string sessions;
  for (const auto& s : e.sessions) {
    sessions += "<tr><td><code>" + html_escape(s.sid) + "</code></td><td>" + html_escape(s.user) + "</td><td>" +
                html_escape(s.auth_time) + "</td><td>" + html_escape(s.clients) + "</td><td>" +
                action("End", "DELETE /_authemu/sessions/" + s.sid + q, "", "danger") + "</td></tr>";
  }
  h += "<h3>sessions</h3>" + table({"sid", "user", "signed in", "clients", ""}, sessions);
  std::string devices, user_options;
  for (const auto& u : e.users)
    user_options += "<option value=" + attr(u.username) + ">" + html_escape(u.username) + "</option>";
  for (const auto& d : e.devices) {
    std::string path = "/_authemu/devices/" + d.user_code;
    devices += "<tr><td><code>" + html_escape(d.user_code) + "</code></td><td>" + html_escape(d.client_id) +
               "</td><td>" + html_escape(d.scope) + "</td><td>" + html_escape(d.expires) +
               "</td><td><form class=\"row\" style=\"margin:0\" data-act=" + attr("POST " + path + "/approve") +
               " data-fixed=" + attr(env) + "><label class=\"sr\" for=" + attr("approve-" + d.user_code) +
               ">approve as</label><select name=\"user\" id=" + attr("approve-" + d.user_code) + ">" + user_options +
               "</select><button type=\"submit\" class=\"primary\">Approve</button>" +
               action("Deny", "POST " + path + "/deny", env, "danger") + "</form></td></tr>";
  }
  h += "<h3>pending device requests</h3>" + table({"user code", "client", "scope", "expires", ""}, devices);
  h += "<h3>queue a sign-in</h3><form class=\"row\" data-act=\"POST /_authemu/logins\" data-fixed=" + attr(env) +
       "><label>user<input name=\"user\" autocomplete=\"off\" placeholder=\"alice\"></label>"
       "<label>or error<input name=\"error\" autocomplete=\"off\" placeholder=\"access_denied\"></label>"
       "<label>client<input name=\"client_id\" autocomplete=\"off\"></label><button type=\"submit\">Queue</button></form>";
  h += "<h3>add a fault</h3><form class=\"row\" data-act=\"POST /_authemu/faults\" data-fixed=" + attr(env) +
       "><label>endpoint<select name=\"endpoint\"><option>token</option><option>introspect</option><option>revoke"
       "</option><option>userinfo</option><option>jwks</option><option>discovery</option><option>authorize</option>"
       "<option>device_authorization</option></select></label><label>error<input name=\"error\" "
       "placeholder=\"invalid_grant\" autocomplete=\"off\"></label><label>status<input name=\"status\" data-num "
       "inputmode=\"numeric\" size=\"4\"></label><label>delay<input name=\"delay\" placeholder=\"2s\" size=\"5\">"
       "</label><label>count<input name=\"count\" data-num inputmode=\"numeric\" size=\"3\"></label>"
       "<button type=\"submit\">Add fault</button>" +
       action("Clear faults", "DELETE /_authemu/faults" + q, "", "danger") + "</form>";
  return h + "</details>";
}

} // namespace

HttpResponse console_response(int status, std::string body) {
  HttpResponse res = html_response(status, std::move(body), true);
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                                            "connect-src 'self'; img-src data:; form-action 'self'; "
                                            "frame-ancestors 'none'; base-uri 'none'");
  return res;
}

std::string console_html(const ConsoleView& v) {
  std::string h = head("authemu console");
  h += "<header class=\"top\"><span class=\"brand\">authemu console</span><nav aria-label=\"sections\">"
       "<a href=\"#journal-section\">Journal</a><a href=\"#explain\">Explain</a><a href=\"#state\">State</a>"
       "<a href=\"#signin\">Try a sign-in</a></nav>";
  for (const auto& e : v.environments) {
    const std::string env = env_json(e.name);
    std::string state = e.frozen ? "frozen" : e.offset != 0 ? "moved" : "real time";
    h += "<div class=\"clock\" role=\"group\" aria-label=" + attr("clock of " + e.name) + "><b>" +
         html_escape(e.name) + "</b> <time>" + html_escape(format_utc(e.now)) + "</time> <span class=\"pill\">" +
         state + "</span>" +
         (e.frozen ? action("Release", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"freeze\":false}")
                   : action("Freeze", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"freeze\":true}")) +
         action("+1 min", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"advance\":\"1m\"}") +
         action("+1 h", "POST /_authemu/clock", "{\"environment\":" + dump_json(json_string(e.name)) + ",\"advance\":\"1h\"}") +
         "<form class=\"row\" style=\"margin:0\" data-act=\"POST /_authemu/clock\" data-clock=\"set\" data-fixed=" +
         attr(env) + "><label class=\"sr\" for=" + attr("set-" + e.name) + ">set the clock of " + html_escape(e.name) +
         "</label><input id=" + attr("set-" + e.name) +
         " name=\"set\" size=\"20\" placeholder=\"2030-01-01T00:00:00Z\"><button type=\"submit\">Set</button></form>" +
         action("Reset clock", "DELETE /_authemu/clock?environment=" + e.name) + "</div>";
  }
  h += action("Reset everything", "POST /_authemu/reset", "{}", "danger") +
       "<span id=\"status\" role=\"status\" aria-live=\"polite\"></span></header><main>";

  // The journal, newest first, and the details of a row.
  std::string rows;
  for (auto it = v.journal.rbegin(); it != v.journal.rend(); ++it)
    rows += journal_row(*it);
  std::string env_options = "<option value=\"\">all</option>";
  for (const auto& e : v.environments)
    env_options += "<option>" + html_escape(e.name) + "</option>";
  h += "<section id=\"journal-section\"><h1>Journal <span id=\"live\" class=\"pill\">connecting</span> <span "
       "class=\"muted\"><span id=\"journal-count\">" +
       std::to_string(v.journal.size()) +
       "</span> requests</span></h1><div class=\"row\" id=\"filters\"><label>environment<select id=\"f-env\">" +
       env_options +
       "</select></label><label>endpoint<select id=\"f-endpoint\"><option value=\"\">all</option><option>token</option>"
       "<option>authorize</option><option>login</option><option>userinfo</option><option>introspect</option>"
       "<option>revoke</option><option>jwks</option><option>discovery</option><option>par</option>"
       "<option>device_authorization</option><option>device</option><option>end_session</option></select></label>"
       "<label>client<input id=\"f-client\" size=\"10\"></label><label>status<input id=\"f-status\" size=\"4\" "
       "inputmode=\"numeric\"></label><label><span><input type=\"checkbox\" id=\"f-errors\"> errors only</span></label>"
       "<label><span><input type=\"checkbox\" id=\"f-pause\"> pause</span></label></div>" +
       table({"#", "time (environment)", "wall (UTC)", "environment", "endpoint", "client", "grant", "user", "status",
              "error", "latency", "method", "path"},
             rows, "journal");
  h += "</section><section aria-live=\"polite\"><div id=\"details\" hidden></div><div id=\"details-hint\" "
       "class=\"muted\">Select a request (click, or Enter) to see its parameters, headers, tokens and a curl "
       "command.</div></section>";

  h += "<section id=\"explain\"><h2>Token explainer</h2><form id=\"explain-form\"><label for=\"explain-token\">JWT"
       "</label><textarea id=\"explain-token\" rows=\"4\" spellcheck=\"false\" placeholder=\"eyJ...\"></textarea>"
       "<div class=\"row\"><label>audience (optional)<input id=\"explain-aud\" size=\"28\"></label>"
       "<button type=\"submit\" class=\"primary\">Explain</button></div></form><div id=\"explain-out\"></div>"
       "</section>";

  // Try a sign-in: each environment's console client, and fixture clients that accept the callback.
  std::string envs, clients;
  for (const auto& e : v.environments) {
    envs += "<option>" + html_escape(e.name) + "</option>";
    clients += "<option data-env=" + attr(e.name) + " data-issuer=" + attr(e.issuer) + " value=" +
               attr(kConsoleClientId) + ">" + html_escape(std::string(kConsoleClientId) + " (built in, public)") +
               "</option>";
    for (const auto& c : e.clients) {
      if (c.console_sign_in && c.id != kConsoleClientId) {
        clients += "<option data-env=" + attr(e.name) + " data-issuer=" + attr(e.issuer) + " value=" + attr(c.id) +
                   ">" + html_escape(c.id) + "</option>";
      }
    }
  }
  h += "<section id=\"signin\"><h2>Try a sign-in</h2><p class=\"muted\">The code flow with PKCE, from this browser to "
       "this server, back to the console, which explains the tokens.</p><form id=\"signin-form\"><div class=\"row\">"
       "<label>environment<select id=\"signin-env\">" +
       envs + "</select></label><label>client<select id=\"signin-client\">" + clients +
       "</select></label></div><div class=\"row\"><label>scope<input id=\"signin-scope\" size=\"34\" "
       "value=\"openid profile email offline_access\"></label><label>prompt<select id=\"signin-prompt\"><option "
       "value=\"\">(none)</option><option>login</option><option>consent</option><option>none</option>"
       "<option>select_account</option></select></label><label>login_hint<input id=\"signin-login_hint\" "
       "size=\"10\"></label><label>max_age<input id=\"signin-max_age\" size=\"5\" inputmode=\"numeric\"></label>"
       "</div><button type=\"submit\" class=\"primary\">Sign in</button></form></section>";

  h += "<section id=\"state\" class=\"wide\"><h2>State</h2><div class=\"envs\">";
  for (const auto& e : v.environments)
    h += environment_state(e);
  std::string logins, faults;
  for (const auto& r : v.logins) {
    logins += "<tr><td><code>" + html_escape(r.id) + "</code></td><td>" + html_escape(r.environment) + "</td><td>" +
              html_escape(r.what) + "</td><td>" + action("Remove", "DELETE /_authemu/logins/" + r.id, "", "danger") +
              "</td></tr>";
  }
  for (const auto& r : v.faults) {
    faults += "<tr><td><code>" + html_escape(r.id) + "</code></td><td>" + html_escape(r.environment) + "</td><td>" +
              html_escape(r.what) + "</td><td>" + action("Remove", "DELETE /_authemu/faults/" + r.id, "", "danger") +
              "</td></tr>";
  }
  h += "<h3>queued sign-ins</h3>" + table({"id", "environment", "what", ""}, logins) + "<h3>faults</h3>" +
       table({"id", "environment", "what", ""}, faults) + "</div></section></main><script>" + kConsoleHelpers +
       kConsoleScript + "</script></body></html>";
  return h;
}

std::string console_callback_html() {
  return head("authemu console: signed in") +
         "<header class=\"top\"><span class=\"brand\">authemu console</span><nav aria-label=\"sections\"><a "
         "href=\"/_authemu/console\">Back to the console</a></nav><span id=\"who\" class=\"muted\"></span>"
         "<span id=\"status\" role=\"status\" aria-live=\"polite\">exchanging the code…</span></header><main>"
         "<section class=\"wide\"><h1>Try a sign-in: the tokens</h1><div class=\"row\"><button type=\"button\" "
         "id=\"userinfo\">Userinfo</button><button type=\"button\" id=\"refresh\">Refresh</button><button "
         "type=\"button\" id=\"logout\" class=\"danger\">Log out</button></div><div id=\"userinfo-out\"></div>"
         "<div id=\"out\"></div></section></main><script>" +
         kConsoleHelpers + kCallbackScript + "</script></body></html>";
}

std::string console_token_html(const std::string& error) {
  return head("authemu console: admin token") +
         "<main style=\"display:block;max-width:420px;margin:40px auto\"><section><h1>authemu console</h1><p>This "
         "server has an admin token. Enter it once: the console keeps it in an HttpOnly cookie for /_authemu.</p>" +
         (error.empty() ? "" : "<p class=\"bad\" role=\"alert\">" + html_escape(error) + "</p>") +
         "<form method=\"post\" action=\"/_authemu/console/token\"><label for=\"token\">admin token</label><div "
         "class=\"row\"><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" "
         "required autofocus><button type=\"submit\" class=\"primary\">Open the console</button></div></form>"
         "</section></main></body></html>";
}

} // namespace authemu
