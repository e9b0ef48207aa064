import type { StageName } from './worker-config.js';

export interface ScriptedFailure {
  /** The Python exception class, which the orchestrator shows as the error type. */
  code: string;
  message: string;
  traceback: string;
}

const ROOT = '/workspace/AI-Scientist-v2';
const SITE = '/usr/local/lib/python3.11/site-packages';

// What DEMO_FAIL_AT plays: the failure a real run most often dies of in each stage.
export const FAILURES: Record<StageName, ScriptedFailure> = {
  Stage_1: {
    code: 'OutOfMemoryError',
    message: 'CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.14 GiB of which 1.21 GiB is free.',
    traceback: [
      'Traceback (most recent call last):',
      `  File "${ROOT}/ai_scientist/treesearch/parallel_agent.py", line 1187, in step`,
      '    result = self._run_node(node)',
      `  File "${ROOT}/ai_scientist/treesearch/interpreter.py", line 212, in run`,
      '    exec(compile(code, self.agent_file_name, "exec"), global_scope)',
      '  File "runfile.py", line 88, in <module>',
      '    logits = model(images.to(device))',
      `  File "${SITE}/torch/nn/modules/module.py", line 1553, in _call_impl`,
      '    return forward_call(*args, **kwargs)',
      '  File "runfile.py", line 41, in forward',
      '    attn = (q @ k.transpose(-2, -1)) * self.scale',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.14 GiB of which 1.21 GiB is free.',
    ].join('\n'),
  },
  Stage_2: {
    code: 'ValueError',
    message: 'x and y must have same first dimension, but have shapes (8,) and (7,)',
    traceback: [
      'Traceback (most recent call last):',
      `  File "${ROOT}/ai_scientist/perform_plotting.py", line 214, in aggregate_plots`,
      '    exec(compile(plot_code, "auto_plot_aggregator.py", "exec"), namespace)',
      '  File "auto_plot_aggregator.py", line 57, in <module>',
      '    ax.plot(epochs, data["val_loss"], label="validation")',
      `  File "${SITE}/matplotlib/axes/_axes.py", line 1779, in plot`,
      '    lines = [*self._get_lines(self, *args, data=data, **kwargs)]',
      `  File "${SITE}/matplotlib/axes/_base.py", line 494, in _plot_args`,
      '    raise ValueError(f"x and y must have same first dimension, but "',
      'ValueError: x and y must have same first dimension, but have shapes (8,) and (7,)',
    ].join('\n'),
  },
  Stage_3: {
    code: 'CalledProcessError',
    message: "Command '['pdflatex', '-interaction=nonstopmode', 'template.tex']' returned non-zero exit status 1.",
    traceback: [
      'Traceback (most recent call last):',
      `  File "${ROOT}/ai_scientist/perform_icbinb_writeup.py", line 1034, in perform_writeup`,
      '    compile_latex(latex_folder, pdf_file)',
      `  File "${ROOT}/ai_scientist/perform_icbinb_writeup.py", line 118, in compile_latex`,
      '    subprocess.run(command, cwd=cwd, check=True, timeout=60, capture_output=True)',
      '  File "/usr/local/lib/python3.11/subprocess.py", line 571, in run',
      '    raise CalledProcessError(retcode, process.args,',
      "subprocess.CalledProcessError: Command '['pdflatex', '-interaction=nonstopmode', 'template.tex']' returned non-zero exit status 1.",
    ].join('\n'),
  },
  Stage_4: {
    code: 'JSONDecodeError',
    message: "Expecting ',' delimiter: line 14 column 5 (char 1876)",
    traceback: [
      'Traceback (most recent call last):',
      `  File "${ROOT}/ai_scientist/perform_llm_review.py", line 187, in perform_review`,
      '    review = extract_json_between_markers(llm_review)',
      `  File "${ROOT}/ai_scientist/llm.py", line 402, in extract_json_between_markers`,
      '    parsed_json = json.loads(json_string)',
      '  File "/usr/local/lib/python3.11/json/__init__.py", line 346, in loads',
      '    return _default_decoder.decode(s)',
      '  File "/usr/local/lib/python3.11/json/decoder.py", line 353, in raw_decode',
      '    obj, end = self.scan_once(s, idx)',
      "json.decoder.JSONDecodeError: Expecting ',' delimiter: line 14 column 5 (char 1876)",
    ].join('\n'),
  },
};
