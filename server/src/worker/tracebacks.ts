import type { StageName } from './worker-config.js';

export interface ScriptedFailure {
  /** The Python exception class, which the orchestrator shows as the error type. */
  code: string;
  message: string;
  traceback: string;
}

const ROOT = '/workspace/AI-Scientist-v2';
const SITE = '/usr/local/lib/python3.11/site-packages';

/** One frame of a Python traceback: file, line, function, and the source line shown under it. */
type Frame = [file: string, line: number, fn: string, source: string];

// A traceback as Python prints it; the last line is the exception's qualified name and the message.
function failure(exception: string, message: string, frames: Frame[]): ScriptedFailure {
  return {
    code: exception.split('.').at(-1)!,
    message,
    traceback: [
      'Traceback (most recent call last):',
      ...frames.flatMap(([file, line, fn, source]) => [`  File "${file}", line ${line}, in ${fn}`, `    ${source}`]),
      `${exception}: ${message}`,
    ].join('\n'),
  };
}

// What DEMO_FAIL_AT plays: the failure a real run most often dies of in each stage.
export const FAILURES: Record<StageName, ScriptedFailure> = {
  Stage_1: failure('torch.OutOfMemoryError', 'CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.14 GiB of which 1.21 GiB is free.', [
    [`${ROOT}/ai_scientist/treesearch/parallel_agent.py`, 1187, 'step', 'result = self._run_node(node)'],
    [`${ROOT}/ai_scientist/treesearch/interpreter.py`, 212, 'run', 'exec(compile(code, self.agent_file_name, "exec"), global_scope)'],
    ['runfile.py', 88, '<module>', 'logits = model(images.to(device))'],
    [`${SITE}/torch/nn/modules/module.py`, 1553, '_call_impl', 'return forward_call(*args, **kwargs)'],
    ['runfile.py', 41, 'forward', 'attn = (q @ k.transpose(-2, -1)) * self.scale'],
  ]),
  Stage_2: failure('ValueError', 'x and y must have same first dimension, but have shapes (8,) and (7,)', [
    [`${ROOT}/ai_scientist/perform_plotting.py`, 214, 'aggregate_plots', 'exec(compile(plot_code, "auto_plot_aggregator.py", "exec"), namespace)'],
    ['auto_plot_aggregator.py', 57, '<module>', 'ax.plot(epochs, data["val_loss"], label="validation")'],
    [`${SITE}/matplotlib/axes/_axes.py`, 1779, 'plot', 'lines = [*self._get_lines(self, *args, data=data, **kwargs)]'],
    [`${SITE}/matplotlib/axes/_base.py`, 494, '_plot_args', 'raise ValueError(f"x and y must have same first dimension, but "'],
  ]),
  Stage_3: failure('subprocess.CalledProcessError', "Command '['pdflatex', '-interaction=nonstopmode', 'template.tex']' returned non-zero exit status 1.", [
    [`${ROOT}/ai_scientist/perform_icbinb_writeup.py`, 1034, 'perform_writeup', 'compile_latex(latex_folder, pdf_file)'],
    [`${ROOT}/ai_scientist/perform_icbinb_writeup.py`, 118, 'compile_latex', 'subprocess.run(command, cwd=cwd, check=True, timeout=60, capture_output=True)'],
    ['/usr/local/lib/python3.11/subprocess.py', 571, 'run', 'raise CalledProcessError(retcode, process.args,'],
  ]),
  Stage_4: failure('json.decoder.JSONDecodeError', "Expecting ',' delimiter: line 14 column 5 (char 1876)", [
    [`${ROOT}/ai_scientist/perform_llm_review.py`, 187, 'perform_review', 'review = extract_json_between_markers(llm_review)'],
    [`${ROOT}/ai_scientist/llm.py`, 402, 'extract_json_between_markers', 'parsed_json = json.loads(json_string)'],
    ['/usr/local/lib/python3.11/json/__init__.py', 346, 'loads', 'return _default_decoder.decode(s)'],
    ['/usr/local/lib/python3.11/json/decoder.py', 353, 'raw_decode', 'obj, end = self.scan_once(s, idx)'],
  ]),
};
