import { describe, expect, it } from 'vitest'
import { findHosts, judgeHost } from '../../src/fraud/link-hosts.js'

const rules = { official: ['gov.cn', 'icbc.com.cn', 'jd.com'], lookalikeTokens: ['gov', 'yb', 'icbc', 'etc'], cheapTlds: ['cc', 'top', 'xyz'] }

describe('findHosts', () => {
  it.each([
    ['请点击 http://yb-gov.cc 解冻', ['yb-gov.cc']],
    ['登录 www.gupiao-vip.top 进群', ['gupiao-vip.top']],
    ['点 https://ETC-renzheng.xyz/a?b=1 办理', ['etc-renzheng.xyz']],
    ['访问 http://192.168.1.10/pay', ['192.168.1.10']],
    ['余额3,245.18元，G123次3车8F号', []],
    ['无链接的短信', []],
  ])('%s', (text, hosts) => {
    expect(findHosts(text)).toEqual(hosts)
  })
})

describe('judgeHost', () => {
  it('official domains and their subdomains are official', () => {
    expect(judgeHost('www.nhsa.gov.cn', rules)).toMatchObject({ official: true, lookalike: false })
    expect(judgeHost('icbc.com.cn', rules).official).toBe(true)
  })
  it('a gov token outside gov.cn, a cheap TLD or an IP is a look-alike', () => {
    expect(judgeHost('ybk-gov.cn.xz29.com', rules)).toMatchObject({ official: false, lookalike: true })
    expect(judgeHost('shop123.top', rules).lookalike).toBe(true)
    expect(judgeHost('10.0.0.1', rules).lookalike).toBe(true)
  })
  it('an unknown ordinary host is odd but not a look-alike', () => {
    expect(judgeHost('example.com', rules)).toMatchObject({ official: false, lookalike: false })
  })
})
