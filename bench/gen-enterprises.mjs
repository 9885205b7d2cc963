// Write a CSV of N valid, distinct small enterprises for the import benchmark.
// Usage: node bench/gen-enterprises.mjs N DISTRICT REGION > file.csv
const [n = '100000', district = '浦东新区', region = '310115'] = process.argv.slice(2);
const A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(i) {
  let body = '';
  for (let k = 0, x = i; k < 9; k++, x = Math.floor(x / 31)) body = A[x % 31] + body;
  const s17 = `91${region}${body}`;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += A.indexOf(s17[k]) * W[k];
  const c = 31 - (sum % 31);
  return s17 + A[c === 31 ? 0 : c];
}
const out = ['\ufeff企业名称,统一社会信用代码,地址,所属区,试点行业,所属园区/基地/创新中心,划型行业,从业人员（人）,营业收入（万元）,资产总额（万元）,联系人,联系电话,自愿参加（是/否）'];
const industries = ['集成电路', '生物医药', '人工智能', '高端装备'];
for (let i = 1; i <= +n; i++) {
  out.push(`上海基准测试企业${i}有限公司,${uscc(1000000 + i)},上海市${district}测试路${i}号,${district},${industries[i % 4]},测试园区${i % 50},工业,${20 + (i % 200)},${300 + (i % 1500)},${200 + (i % 900)},联系人${i % 97},1380000${String(i % 10000).padStart(4, '0')},是`);
}
process.stdout.write(out.join('\r\n') + '\r\n');
