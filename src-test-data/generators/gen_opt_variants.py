# Reference outputs for OPT variants the shared fixtures lack, and a check that HF safetensors
# reads files written by Attune's SafetensorsWriter. Run on the device machine:
#   python3 src-test-data/generators/gen_opt_variants.py src-test-data/opt-tiny $OUT
import json, os, sys
import torch
from safetensors.torch import load_file, save_file
from safetensors import safe_open
import transformers
from transformers import OPTConfig, OPTForCausalLM

src, out = sys.argv[1], sys.argv[2]
ref = load_file(os.path.join(src, "reference.safetensors"))
ids, mask = ref["input_ids"], ref["attention_mask"]
print("torch", torch.__version__, "transformers", transformers.__version__)

def loss_both_real(logits, ids, mask):
    logp = torch.log_softmax(logits[:, :-1].float(), -1)
    tok = logp.gather(2, ids[:, 1:, None]).squeeze(2)
    w = (mask[:, 1:] * mask[:, :-1]).float()
    return -(tok * w).sum(1) / w.sum(1).clamp(min=1)

variants = {
    # OPT-350m style: post-LN, word_embed_proj_dim != hidden_size (project_in / project_out)
    "opt-tiny-postln-proj": dict(do_layer_norm_before=False, word_embed_proj_dim=32),
    # pre-LN with projections, gelu
    "opt-tiny-proj-gelu": dict(do_layer_norm_before=True, word_embed_proj_dim=48, activation_function="gelu"),
}
for name, extra in variants.items():
    torch.manual_seed(1234)
    cfg = OPTConfig(vocab_size=512, hidden_size=64, num_hidden_layers=2, ffn_dim=128,
                    num_attention_heads=4, max_position_embeddings=64, pad_token_id=1,
                    bos_token_id=2, eos_token_id=2, dropout=0.0, attention_dropout=0.0,
                    activation_dropout=0.0, init_std=0.2, **extra)
    model = OPTForCausalLM(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():  # non-trivial norms and biases
            if p.dim() == 1:
                p.add_(torch.randn_like(p) * 0.1)
    d = os.path.join(out, name)
    model.save_pretrained(d, safe_serialization=True)
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask).logits.float()
        prompt = ids[:1, :6].clone()
        gen = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=8,
                             do_sample=False, min_new_tokens=8)
    save_file({"input_ids": ids, "attention_mask": mask, "logits": logits.contiguous(),
               "per_example_loss": loss_both_real(logits, ids, mask).contiguous(),
               "generate_prompt": prompt.contiguous(), "generate_greedy": gen.contiguous()},
              os.path.join(d, "reference.safetensors"))
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump({"model_class": "OPTForCausalLM", "transformers": transformers.__version__,
                   "torch": torch.__version__, "variant": extra,
                   "note": "fp32 eval, same inputs as opt-tiny; per_example_loss counts position t when tokens t and t+1 are both unpadded; greedy 8 new tokens (min_new_tokens=8)"}, f, indent=1)
    print(name, "logits", tuple(logits.shape), "gen", gen.tolist())

# Attune-written files read by HF safetensors
compat = "src-test-data/generators/compat"
t = load_file(os.path.join(compat, "all-dtypes.safetensors"))
with safe_open(os.path.join(compat, "all-dtypes.safetensors"), "pt") as f:
    print("metadata", f.metadata())
for k, v in t.items():
    print("compat", k, v.dtype, tuple(v.shape), v.flatten()[:6].tolist())
idx = json.load(open(os.path.join(compat, "sharded", "model.safetensors.index.json")))
n = 0
for shard in sorted(set(idx["weight_map"].values())):
    n += len(load_file(os.path.join(compat, "sharded", shard)))
print("sharded tensors read:", n, "of", len(idx["weight_map"]))
