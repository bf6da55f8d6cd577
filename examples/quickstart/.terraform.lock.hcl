# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/octollm/octollm" {
  version = "0.1.0"
  hashes = [
    "h1:eE2MY0+9e+Y07KID2g44cjELizB8ds4geo+fqw5KOvk=",
  ]
}
