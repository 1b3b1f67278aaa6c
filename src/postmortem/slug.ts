/**
 * Lowercase ASCII words joined by `-`: accents dropped (é → e), anything else a separator. Used
 * for Jekyll file names and chat channel names alike. Longer than `max`, it is cut at a word
 * boundary when there is one in the second half, so a name does not end mid-word.
 */
export function slugify(title: string, max = 60): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const dash = cut.lastIndexOf("-");
  return (dash > max / 2 ? cut.slice(0, dash) : slug.slice(0, max)).replace(/-+$/, "");
}
