/** Where a print file's bytes live: `<organization id>/<file id><extension>`. */
export function storageKeyOf(organizationId: string, fileId: string, extension: string): string {
  return `${organizationId}/${fileId}${extension}`;
}

/** Where a print file's thumbnail lives, beside its bytes. */
export function thumbnailKeyOf(organizationId: string, fileId: string): string {
  return `${organizationId}/${fileId}.thumbnail.png`;
}
