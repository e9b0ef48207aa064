/** GraphQL operations of the LLM features (analysis, ideation, ChatGPT import), written as a client would. */

const ANALYSIS_FIELDS = /* GraphQL */ `
  id runId status requestedBy current attempts errorCode errorMessage createdAt startedAt completedAt supersededAt
  paper { artifactKey pages extractedChars analyzedChars truncated }
  quantitative { quality faithfulness innovation efficiency successRate reliability reproducibility }
  qualitative { tradeoffs hypothesisProof conclusion novelty recommendations }
  models { quantitative qualitative }
  usage { promptTokens completionTokens totalTokens }
`;

export const REQUEST_PAPER_ANALYSIS = /* GraphQL */ `
  mutation RequestPaperAnalysis($runId: ID!) { requestPaperAnalysis(runId: $runId) { ${ANALYSIS_FIELDS} } }
`;

export const RUN_PAPER_ANALYSIS = /* GraphQL */ `
  query RunPaperAnalysis($id: ID!) {
    run(id: $id) { id status paper { status artifactKey } paperAnalysis { ${ANALYSIS_FIELDS} } paperAnalysisHistory { id status current } }
  }
`;

export const ON_RUN_UPDATED_ANALYSIS = /* GraphQL */ `
  subscription OnRunUpdatedAnalysis($runId: ID!) { runUpdated(runId: $runId) { id paperAnalysis { id status errorCode } } }
`;

const IDEATION_FIELDS = /* GraphQL */ `
  id hypothesisId status reflections reflectionsDone autoLaunch createdBy model ideas attempts errorCode errorMessage runId
  rounds { round critique idea }
  usage { promptTokens completionTokens totalTokens }
  hypothesis { id ideaJson ideation { requestId status reflections ideas } }
`;

export const CREATE_HYPOTHESIS_WITH_IDEATION = /* GraphQL */ `
  mutation CreateWithIdeation($input: CreateHypothesisInput!) {
    createHypothesis(input: $input) {
      hypothesis { id title ideaJson ideation { requestId status reflections ideas } }
      run { id }
      ideation { id status reflections autoLaunch }
    }
  }
`;

export const IDEATION = /* GraphQL */ `
  query Ideation($id: ID!) { ideation(id: $id) { ${IDEATION_FIELDS} } }
`;

export const IDEATIONS = /* GraphQL */ `
  query Ideations($status: IdeationStatus, $hypothesisId: ID, $first: Int, $after: String) {
    ideations(status: $status, hypothesisId: $hypothesisId, first: $first, after: $after) {
      totalCount
      countsByStatus { queued running completed failed total }
      pageInfo { hasNextPage endCursor }
      nodes { id status hypothesisId }
    }
  }
`;

export const IDEATION_SUMMARY = /* GraphQL */ `
  query IdeationSummary { ideationSummary { queued running completed failed total } }
`;

export const EXTRACT_FROM_CHATGPT = /* GraphQL */ `
  mutation ExtractFromChatGpt($url: String!) {
    extractHypothesisFromChatGpt(url: $url) { title idea format method model transcript { role text } }
  }
`;

const IMPORT_FIELDS = /* GraphQL */ `
  id url extractionStatus errorCode errorMessage enableIdeation reflections autoLaunch hypothesisId format method messageCount attempts
  hypothesis { id title idea chatGptUrl ideaJson ideation { requestId status } runs(first: 5) { totalCount } }
`;

export const IMPORT_FROM_CHATGPT = /* GraphQL */ `
  mutation ImportFromChatGpt($input: ImportHypothesisFromChatGptInput!) { importHypothesisFromChatGpt(input: $input) { ${IMPORT_FIELDS} } }
`;

export const CHATGPT_IMPORT = /* GraphQL */ `
  query ChatGptImport($id: ID!) { chatGptImport(id: $id) { ${IMPORT_FIELDS} } }
`;
