# An HF-written bfloat16 copy of opt-tiny and the float32 logits of its widened weights.
#   python3 src-test-data/generators/gen_opt_bf16.py src-test-data/opt-tiny $OUT/opt-tiny-bf16
import os, sys, json
import torch
from safetensors.torch import load_file, save_file
from transformers import OPTForCausalLM

src, dst = sys.argv[1], sys.argv[2]
ref = load_file(os.path.join(src, "reference.safetensors"))
model = OPTForCausalLM.from_pretrained(src, dtype=torch.bfloat16).eval()
model.save_pretrained(dst, safe_serialization=True)
if os.path.exists(os.path.join(dst, "generation_config.json")):
    os.remove(os.path.join(dst, "generation_config.json"))
with torch.no_grad():
    logits = model.float()(input_ids=ref["input_ids"], attention_mask=ref["attention_mask"]).logits
save_file({"input_ids": ref["input_ids"].clone(), "attention_mask": ref["attention_mask"].clone(),
           "logits": logits.contiguous()}, os.path.join(dst, "reference.safetensors"))
print("bf16 dtypes", {str(v.dtype) for v in load_file(os.path.join(dst, "model.safetensors")).values()})
