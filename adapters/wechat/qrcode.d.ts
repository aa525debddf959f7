// The one function of `qrcode` the WeChat adapter uses (the package ships no types).
declare module 'qrcode' {
  const QRCode: {
    toString(text: string, options: { type: 'terminal' | 'utf8' | 'svg'; small?: boolean }): Promise<string>
  }
  export default QRCode
}
