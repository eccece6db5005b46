import { slug as githubSlug } from "github-slugger";

/** A URL slug from any text: "Priya Shah" -> "priya-shah". */
export function slugify(text: string) {
  const slug = githubSlug(text.normalize("NFKD").replace(/[\u0300-\u036f]/g, ""))
    .replace(/[^a-z0-9-]/g, "")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
  return slug || "untitled";
}
