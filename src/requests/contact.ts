/** A contact as staff lists and confirmations show it: the middle of a phone number hidden (138****0000). */
export function maskContact(contact: string): string {
  return contact.replace(/(\d{3})\d{4}(\d{4})/gu, '$1****$2').replace(/(0\d{2,3}[-\s]?)\d{3,4}(\d{4})/gu, '$1****$2')
}
