#include "http/console_assets.h"

namespace authemu {

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
@media (max-width:600px){#journal th:nth-child(3),#journal td:nth-child(3),#journal th:nth-child(4),#journal td:nth-child(4){display:none}}
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
  return [e.seq,utc(e.time).slice(11,19),new Date(e.wall_time_ms).toISOString().slice(11,19),e.environment,e.endpoint,e.status,err?e.outcome:'',e.client_id||'',(e.grant_type||'').replace(/^urn:.*:/,''),e.user||'',(e.latency_us/1000).toFixed(1)+' ms',e.method,e.path||'']
    .map((v,i)=>'<td'+(i===5&&err?' class="st-err"':'')+(i===1?' title="'+esc(utc(e.time))+'"':'')+'>'+esc(v)+'</td>').join('');
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

} // namespace authemu
